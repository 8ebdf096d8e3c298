// NetworkManager's bond-bridge (issue 13 part 4: the manager lab boots it): the bond as a keyfile
// that is a port of the main bridge, each slave's profile edited into the bond's port (a slave
// with no profile gets one), the main bridge with the addressed slave's [ipv4]/[ipv6], the back
// bridge over its NIC with no address; keys by NM version; a re-run plans nothing; refusals. The
// written keyfiles are read back by NetworkManager's own libnm (nmcli --offline, Debian 12's NM
// 1.42 unpacked into .cache/debs, never installed).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { networkmanager } from '../../src/backends/networkmanager.js';
import type { BackendInputs, BackendRender } from '../../src/backends/types.js';
import { reader, refusal } from '../_helpers/renders.js';
import { PROJECT } from '../_helpers/roots.js';
import { missingUnpacked, testUnless } from '../_helpers/skip.js';

const DIR = '/etc/NetworkManager/system-connections';
const ETH0 = `${DIR}/eth0.nmconnection`;
const eth0 = '[connection]\nid=eth0\nuuid=0b6c3e57-4f1d-4a8e-9d55-5b1b6c1a0e01\ntype=ethernet\ninterface-name=eth0\n\n[ethernet]\n\n[ipv4]\naddress1=192.168.1.3/24,192.168.1.254\nmethod=manual\n\n[ipv6]\nmethod=ignore\n\n[proxy]\n';
const BOND = { name: 'pbond0', slaves: ['eth0', 'eth1'], mode: 'active-backup', miimon: 100 };
const MAIN = { name: 'bond0', nic: 'pbond0', stp: false as const, forwardDelay: 0 as const, antispoof: true };
const BACK = { name: 'xenbr0', nic: 'eth2', stp: false as const, forwardDelay: 0 as const, antispoof: true };

const inputs = (files: Record<string, string>, version: string | null = '1.42.4-1+deb12u1'): BackendInputs =>
  ({ read: reader(files, '0600'), interfaces: [], linkMac: () => '52:54:00:00:00:01', manager: { files: Object.keys(files), version } });
const after = (r: BackendRender, p: string) => r.files.find((f) => f.path === p)?.after ?? '';
const applied = (files: Record<string, string>, r: BackendRender) => ({ ...files, ...Object.fromEntries(r.files.map((f) => [f.path, f.after!])) });

const refusedWith = (key: string, f: () => unknown) => assert.is(refusal(f).key, key);

test('NetworkManager bond-bridge: bond, bridges and ports as keyfiles (0600), the addressed slave\'s IP on the main bridge, NM 1.42\'s slave keys', () => {
  const r = networkmanager.bondBridges(BOND, MAIN, BACK, inputs({ [ETH0]: eth0 }));
  assert.equal(r.files.map((f) => f.path).sort(), ['bond0', 'eth0', 'eth1', 'eth2', 'pbond0', 'xenbr0'].map((n) => `${DIR}/${n}.nmconnection`));
  for (const f of r.files) assert.is(f.mode, '0600', f.path);
  const bond = after(r, `${DIR}/pbond0.nmconnection`);
  assert.match(bond, /^type=bond\ninterface-name=pbond0\nslave-type=bridge\nmaster=bond0$/m);
  assert.match(bond, /^\[bond\]\nmiimon=100\nmode=active-backup$/m);
  const main = after(r, `${DIR}/bond0.nmconnection`);
  assert.match(main, /^type=bridge$/m);
  assert.match(main, /^\[ipv4\]\naddress1=192\.168\.1\.3\/24,192\.168\.1\.254\nmethod=manual$/m);
  assert.match(main, /^stp=false$/m);
  assert.not.match(main, /cloned-mac-address/, 'static: nothing pinned');
  const port = after(r, ETH0);
  assert.match(port, /^slave-type=bond\nmaster=pbond0$/m);
  assert.not.match(port, /\[ipv4\]|\[ipv6\]/);
  assert.match(port, /\[proxy\]/, 'every other line kept');
  assert.match(after(r, `${DIR}/eth1.nmconnection`), /^interface-name=eth1\nslave-type=bond\nmaster=pbond0$/m);
  assert.match(after(r, `${DIR}/eth2.nmconnection`), /^slave-type=bridge\nmaster=xenbr0$/m);
  assert.match(after(r, `${DIR}/xenbr0.nmconnection`), /^\[ipv4\]\nmethod=disabled\n\n\[ipv6\]\nmethod=disabled$/m);
  assert.equal(r.commands.map((c) => c.argv!.slice(0, 3).join(' ')), ['nmcli connection load', 'nmcli device connect', 'nmcli device connect', 'nmcli device connect']);
  assert.equal(r.commands.slice(1).map((c) => c.argv![3]), ['eth0', 'eth1', 'eth2']);
  assert.equal(networkmanager.bondBridges(BOND, MAIN, BACK, inputs(applied({ [ETH0]: eth0 }, r))), { files: [], commands: [] }, 'a second run plans nothing');
});

test('NetworkManager bond-bridge: NM 1.46+ writes port-type/controller; a DHCP slave pins its MAC on the main bridge', () => {
  const dhcp = eth0.replace('address1=192.168.1.3/24,192.168.1.254\nmethod=manual', 'method=auto');
  const r = networkmanager.bondBridges(BOND, MAIN, BACK, inputs({ [ETH0]: dhcp }, '1.46.0'));
  assert.match(after(r, `${DIR}/pbond0.nmconnection`), /^port-type=bridge\ncontroller=bond0$/m);
  assert.match(after(r, ETH0), /^port-type=bond\ncontroller=pbond0$/m);
  assert.match(after(r, `${DIR}/bond0.nmconnection`), /^\[ethernet\]\ncloned-mac-address=52:54:00:00:00:01$/m);
});

test('NetworkManager bond-bridge refuses (exit 2): two addressed slaves, a slave already someone\'s port, two profiles for one NIC', () => {
  const eth1 = eth0.replace(/eth0/g, 'eth1').replace('192.168.1.3', '10.0.0.1').replace('0b6c3e57', '1b6c3e57');
  refusedWith('error.bondSlaveAddressed', () => networkmanager.bondBridges(BOND, MAIN, BACK, inputs({ [ETH0]: eth0, [`${DIR}/eth1.nmconnection`]: eth1 })));
  const taken = eth0.replace('interface-name=eth0', 'interface-name=eth0\nslave-type=bridge\nmaster=br9');
  refusedWith('error.nicEnslaved', () => networkmanager.bondBridges(BOND, MAIN, BACK, inputs({ [ETH0]: taken })));
  refusedWith('error.nmProfilesAmbiguous', () => networkmanager.bondBridges(BOND, MAIN, BACK, inputs({ [ETH0]: eth0, [`${DIR}/eth0-b.nmconnection`]: eth0.replace('id=eth0', 'id=eth0-b') })));
});

const DEBS = path.join(PROJECT, '.cache/debs');
const noNmcli = missingUnpacked('network-manager/usr/bin/nmcli') ?? missingUnpacked('libnm0/usr/lib/x86_64-linux-gnu/libnm.so.0');

testUnless(test, noNmcli, 'NetworkManager 1.42\'s libnm reads every bond-bridge keyfile back as written (nmcli --offline)', () => {
  const r = networkmanager.bondBridges(BOND, MAIN, BACK, inputs({ [ETH0]: eth0 }));
  const want: Record<string, RegExp[]> = {
    pbond0: [/^type=bond$/m, /^master=bond0$/m, /^slave-type=bridge$/m, /^miimon=100$/m, /^mode=active-backup$/m],
    bond0: [/^type=bridge$/m, /^address1=192\.168\.1\.3\/24,192\.168\.1\.254$/m, /^stp=false$/m],
    xenbr0: [/^type=bridge$/m, /^method=disabled$/m],
    eth0: [/^master=pbond0$/m, /^slave-type=bond$/m],
    eth1: [/^master=pbond0$/m, /^slave-type=bond$/m],
    eth2: [/^master=xenbr0$/m, /^slave-type=bridge$/m],
  };
  for (const [name, res] of Object.entries(want)) {
    const nm = spawnSync(path.join(DEBS, 'network-manager/usr/bin/nmcli'), ['--offline', 'connection', 'modify', 'connection.id', name], {
      input: after(r, `${DIR}/${name}.nmconnection`), encoding: 'utf8', env: { LD_LIBRARY_PATH: path.join(DEBS, 'libnm0/usr/lib/x86_64-linux-gnu') },
    });
    assert.is(nm.status, 0, `${name}: ${nm.stderr}`);
    for (const re of res) assert.match(nm.stdout, re, `${name}: ${re}`);
  }
});

test.run();
