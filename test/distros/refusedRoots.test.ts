// Gentoo (netifrc) and NixOS roots built from their handbooks' documented network configuration
// (test/fixtures/distros/README.md): the backends refuse (exit 2, InputError) and name the
// manager, with the exact lines to write by hand — the NIC's settings carried to the bridge — in
// both languages, every line within 80 columns as the CLI prints an error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT, treeFingerprint, fingerprintDiff, unwrapMessages } from '../_helpers/roots.js';
import { screenFaults } from '../_helpers/screen.js';
import { netifrc } from '../../src/backends/netifrc.js';
import { nixos } from '../../src/backends/nixos.js';
import { InputError } from '../../src/errors.js';
import { HostFiles } from '../../src/detect/hostFiles.js';
import { RootFs } from '../../src/system/rootfs.js';
import { format } from '../../src/i18n.js';
import { wrapLabelled } from '../../src/ui/textWidth.js';
import type { NetworkBackend, BackendInputs } from '../../src/backends/types.js';
import type { PortedBridge } from '../../src/model/topology.js';

// From the locale files themselves (src/i18n finds them relative to dist/ when built).
const messages = (lang: string) => JSON.parse(fs.readFileSync(path.join(PROJECT, `locales/${lang}.json`), 'utf8')) as Record<string, string>;
const bridge: PortedBridge = { name: 'xenbr0', nic: 'eth0', stp: false, forwardDelay: 0, antispoof: true };
const rootOf = (name: string) => path.join(PROJECT, 'test/fixtures/distros', name, 'root');

function refusal(backend: NetworkBackend, root: string, extra: Partial<BackendInputs> = {}): InputError {
  const files = new HostFiles(new RootFs(root));
  const before = treeFingerprint(root);
  try {
    backend.portedBridge(bridge, { read: files.read, list: (d) => files.list(d), interfaces: [], linkMac: () => null, ...extra });
  } catch (err) {
    assert.equal(fingerprintDiff(before, treeFingerprint(root)), []);
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('not refused');
}

function printed(err: InputError): Record<'en' | 'ja', string> {
  const out = { en: '', ja: '' };
  for (const lang of ['en', 'ja'] as const) {
    out[lang] = wrapLabelled(lang === 'ja' ? 'エラー: ' : 'error: ', format(messages(lang)[err.key], err.params), 80);
    assert.equal(screenFaults(out[lang], 80), [], `${lang}:\n${out[lang]}`);
    if (process.env.XNW_SHOW) console.log(out[lang]);
    out[lang] = unwrapMessages(out[lang]);
  }
  return out;
}

test('Gentoo (netifrc): refused, naming netifrc, with /etc/conf.d/net\'s lines moved to the bridge and the runlevel commands', () => {
  const err = refusal(netifrc, rootOf('gentoo-netifrc'));
  assert.is(err.key, 'error.netifrcByHand');
  const { en, ja } = printed(err);
  assert.match(en, /netifrc \(Gentoo\)/);
  assert.match(ja, /netifrc \(Gentoo\) が起動しています/);
  const lines = String(err.params.snippet).split('\n').map((l) => l.trim());
  assert.equal(lines, [
    'config_eth0="null"',
    'bridge_xenbr0="eth0"',
    'config_xenbr0="192.168.0.2 netmask 255.255.255.0 brd 192.168.0.255"',
    'routes_xenbr0="default via 192.168.0.1"',
    'bridge_stp_state_xenbr0="0"',
    'bridge_forward_delay_xenbr0="0"',
  ]);
  assert.equal(String(err.params.commands).split('\n').map((l) => l.trim()), ['ln -s net.lo /etc/init.d/net.xenbr0', 'rc-update add net.xenbr0 default', 'rc-update del net.eth0 default']);
});

test('Gentoo (netifrc), DHCP: the bridge keeps the NIC\'s MAC (mac_xenbr0)', () => {
  const read = (p: string) => (p === '/etc/conf.d/net' ? { text: 'config_eth0="dhcp"\n', mode: '0644' } : null);
  const err = refusal(netifrc, rootOf('gentoo-netifrc'), { read, linkMac: () => '52:54:00:A1:00:04' });
  assert.match(String(err.params.snippet), /config_xenbr0="dhcp"\n\s+mac_xenbr0="52:54:00:a1:00:04"/);
});

test('NixOS: refused, naming NixOS, with networking.bridges and the NIC\'s declarations moved (and where to remove them)', () => {
  const err = refusal(nixos, rootOf('nixos'));
  assert.is(err.key, 'error.nixosByHand');
  const { en, ja } = printed(err);
  assert.match(en, /this host is NixOS/);
  assert.match(ja, /NixOS です/);
  assert.match(en, /nixos-rebuild switch/);
  assert.equal(String(err.params.snippet).split('\n').map((l) => l.trimEnd()), [
    '    networking.bridges.xenbr0.interfaces = [ "eth0" ];',
    '    networking.interfaces.xenbr0.ipv4.addresses = [ {',
    '      address = "192.168.1.2";',
    '      prefixLength = 24;',
    '      } ];',
  ]);
  assert.is(String(err.params.remove).trim(), '/etc/nixos/configuration.nix line 7: networking.interfaces.eth0.ipv4.addresses');
});

test('NixOS with DHCP for every interface (the installer\'s default): only networking.bridges to add', () => {
  const read = (p: string) => (p === '/etc/nixos/configuration.nix' ? { text: '{ ... }:\n{\n  networking.useDHCP = true;\n}\n', mode: '0644' } : null);
  const err = refusal(nixos, rootOf('nixos'), { read });
  assert.is(err.key, 'error.nixosByHandNoNic');
  printed(err);
  assert.is(String(err.params.snippet).trim(), 'networking.bridges.xenbr0.interfaces = [ "eth0" ];');
});

test.run();
