// The netplan and NetworkManager backends as pure renderers, table by table: what moves to the
// bridge (addresses, routes, DNS, DHCP with the NIC's MAC pinned, MTU), the keys each
// NetworkManager version reads, re-runs that plan nothing, and the refusals (exit 2, translated)
// for what they cannot write faithfully.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderNetplan, netplan, NETPLAN_OWN } from '../../src/backends/netplan.js';
import { renderNetworkManager, networkmanager, nmHasControllerKeys } from '../../src/backends/networkmanager.js';
import type { BackendInputs, BackendRender } from '../../src/backends/types.js';
import type { FileRead } from '../../src/model/plan.js';
import { InputError } from '../../src/errors.js';
import { parseNetplan, networkOf } from '../../src/parse/netplanYaml.js';

const BR = { name: 'xenbr0', nic: 'eno1', stp: false as const, forwardDelay: 0 as const, antispoof: true };
const MAC = '52:54:00:aa:bb:cc';

function inputs(files: Record<string, string>, version: string | null = null): BackendInputs {
  const read = (p: string): FileRead | null => (p in files ? { text: files[p], mode: '0600' } : null);
  return { read, interfaces: [], linkMac: () => MAC, manager: { files: Object.keys(files).filter((f) => !f.startsWith('/etc/cloud')), version } };
}

/** The files as they are once `r` is applied. */
const applied = (files: Record<string, string>, r: BackendRender) => ({ ...files, ...Object.fromEntries(r.files.map((f) => [f.path, f.after!])) });

function refusedWith(key: string, f: () => unknown): void {
  try {
    f();
  } catch (err) {
    assert.instance(err, InputError);
    assert.is((err as InputError).key, key);
    return;
  }
  assert.unreachable(`expected ${key}`);
}

const DHCP = '/etc/netplan/01-netcfg.yaml';
const dhcpYaml = 'network:\n  version: 2\n  ethernets:\n    eno1:\n      match:\n        macaddress: "52:54:00:12:34:56"\n      set-name: eno1\n      mtu: 9000\n      dhcp4: true\n      optional: true  # boot does not wait for it\n';

test('netplan, DHCP: the bridge takes dhcp4 and pins the NIC\'s MAC (from match:), the MTU is the NIC\'s; link settings and comments stay', () => {
  const r = renderNetplan(BR, inputs({ [DHCP]: dhcpYaml }));
  const own = networkOf(parseNetplan(r.files.find((f) => f.path === NETPLAN_OWN)!.after!, NETPLAN_OWN))!;
  assert.equal((own.bridges as Record<string, unknown>).xenbr0, {
    interfaces: ['eno1'], dhcp4: true, mtu: 9000, macaddress: '52:54:00:12:34:56', parameters: { stp: false, 'forward-delay': 0 }, critical: true,
  });
  const nic = r.files.find((f) => f.path === DHCP)!;
  assert.is(nic.mode, '0600');
  assert.not.match(nic.after!, /dhcp4/);
  assert.match(nic.after!, /optional: true # boot does not wait for it/);
  assert.match(nic.after!, /mtu: 9000/);
  assert.equal(r.commands.map((c) => c.argv), [['netplan', 'apply']]);
  assert.equal(renderNetplan(BR, inputs(applied({ [DHCP]: dhcpYaml }, r))), { files: [], commands: [] }, 'a second run plans nothing');
});

test('netplan --live: networkd renderer → netplan generate then networkctl reload, rerun on rollback; NetworkManager renderer → null (refused); critical only with networkd', () => {
  const files = inputs({ [DHCP]: dhcpYaml });
  assert.equal(netplan.liveHandOver!({ nic: 'eno1', bridge: 'xenbr0' }, files)!.map((c) => [c.argv, c.phase, c.rerunOnRollback]), [
    [['netplan', 'generate'], 'after-edit', true],
    [['networkctl', 'reload'], 'after-edit', true],
  ]);
  const nm = inputs({ [DHCP]: dhcpYaml.replace('network:\n', 'network:\n  renderer: NetworkManager\n') });
  assert.is(netplan.liveHandOver!({ nic: 'eno1', bridge: 'xenbr0' }, nm), null);
  assert.not.match(renderNetplan(BR, nm).files.find((f) => f.path === NETPLAN_OWN)!.after!, /critical/);
  const own = 'network:\n  version: 2\n  ethernets:\n    eno1:\n      critical: false\n      addresses: [10.0.0.2/24]\n';
  assert.not.match(renderNetplan(BR, inputs({ [DHCP]: own })).files.find((f) => f.path === NETPLAN_OWN)!.after!, /critical/, 'the admin said critical: false: not overridden');
});

test('netplan: the link\'s MAC is pinned when the file gives none; a static NIC pins nothing', () => {
  const plain = 'network:\n  version: 2\n  ethernets:\n    eno1:\n      dhcp6: true\n';
  assert.match(renderNetplan(BR, inputs({ [DHCP]: plain })).files[0].after!, new RegExp(`macaddress: "${MAC}"`));
  const fixed = 'network:\n  version: 2\n  ethernets:\n    eno1:\n      addresses: [10.0.0.2/24]\n';
  assert.not.match(renderNetplan(BR, inputs({ [DHCP]: fixed })).files[0].after!, /macaddress/);
});

test('netplan refuses what it cannot move faithfully (exit 2): a wildcard match, no definition, cloud-init\'s file while it still writes it', () => {
  refusedWith('error.netplanNicGlob', () => renderNetplan(BR, inputs({ [DHCP]: 'network:\n  ethernets:\n    all-en:\n      match:\n        name: "en*"\n      dhcp4: true\n' })));
  refusedWith('error.netplanNicMissing', () => renderNetplan(BR, inputs({ [DHCP]: 'network:\n  renderer: NetworkManager\n' })));
  const cloud = '/etc/netplan/50-cloud-init.yaml';
  const text = '# This file is generated from information provided by the datasource.  Changes\nnetwork:\n  ethernets:\n    eno1:\n      dhcp4: true\n';
  refusedWith('error.netplanCloudInit', () => renderNetplan(BR, inputs({ [cloud]: text })));
  assert.is(renderNetplan(BR, inputs({ [cloud]: text, '/etc/cloud/cloud.cfg.d/99-disable-network-config.cfg': 'network: {config: disabled}\n' })).files.length, 2);
  refusedWith('error.netplanSyntax', () => renderNetplan(BR, inputs({ [DHCP]: 'network:\n  ethernets: [\n' })));
});

const KF = '/etc/NetworkManager/system-connections/eno1.nmconnection';
const keyfile = '[connection]\nid=eno1\nuuid=3b8a1b5e-7c2d-4f0e-9a61-5d4c2e8f1a07\ntype=ethernet\ninterface-name=eno1\n\n[ethernet]\nmtu=9000\n\n[proxy]\n';

test('NetworkManager: the port keys by version (1.46 cut-over in NM\'s NEWS), NM\'s default DHCP pins the MAC, the MTU goes to the bridge too', () => {
  for (const [version, keys] of [['1.46.0-20.el9_4', ['port-type=bridge', 'controller=xenbr0']], ['1.54.3', ['port-type=bridge', 'controller=xenbr0']], ['1.42.4-1+deb12u1', ['slave-type=bridge', 'master=xenbr0']], [null, ['slave-type=bridge', 'master=xenbr0']]] as const) {
    const r = renderNetworkManager(BR, inputs({ [KF]: keyfile }, version));
    const port = r.files.find((f) => f.path === KF)!.after!;
    for (const k of keys) assert.match(port, new RegExp(`^${k}$`, 'm'), `${version}: ${k}`);
    assert.match(port, /\[ethernet\]\nmtu=9000/);
    const bridge = r.files.find((f) => f.path.endsWith('/xenbr0.nmconnection'))!;
    assert.is(bridge.mode, '0600');
    assert.match(bridge.after!, new RegExp(`\\[ethernet\\]\\ncloned-mac-address=${MAC}\\nmtu=9000`));
    assert.equal(renderNetworkManager(BR, inputs(applied({ [KF]: keyfile }, r), version)), { files: [], commands: [] }, 'a second run plans nothing');
  }
  assert.ok(nmHasControllerKeys('2.0.0'));
  assert.not.ok(nmHasControllerKeys('1.44.2'));
});

test('NetworkManager refuses an unclear NIC (exit 2): no profile, or two that connect at boot', () => {
  refusedWith('error.nmNoProfile', () => renderNetworkManager(BR, inputs({})));
  const second = '/etc/NetworkManager/system-connections/eno1-dhcp.nmconnection';
  refusedWith('error.nmProfilesAmbiguous', () => renderNetworkManager(BR, inputs({ [KF]: keyfile, [second]: keyfile.replace('id=eno1', 'id=eno1-dhcp') })));
  // One of them set not to connect at boot: the other is the NIC's.
  assert.is(renderNetworkManager(BR, inputs({ [KF]: keyfile, [second]: keyfile.replace('[connection]', '[connection]\nautoconnect=false') })).files.length, 2);
});

test('what the two backends cannot write yet is refused, never written wrong (error.backendRecipeUnsupported)', () => {
  const files = inputs({});
  const bond = { name: 'pbond0', slaves: ['eno1', 'eno2'], mode: 'active-backup', miimon: 100 };
  // netplan writes bond-bridge, but not a bond whose two slaves both carry addresses (whose would the bridge take?).
  const two = 'network:\n  ethernets:\n    eno1:\n      addresses: [10.0.0.1/24]\n    eno2:\n      addresses: [10.0.1.1/24]\n';
  refusedWith('error.backendRecipeUnsupported', () => netplan.bondBridges(bond, BR, { ...BR, name: 'xenbr1', nic: 'eno3' }, inputs({ [DHCP]: two })));
  refusedWith('error.backendRecipeUnsupported', () => networkmanager.internalBridge({ bridge: { ...BR, nic: null }, mac: MAC }, files));
  for (const backend of [netplan, networkmanager]) {
    refusedWith('error.backendRecipeUnsupported', () => backend.shadowBridge({ nic: 'eno1', port: 'seno1', mac: MAC }, files));
    refusedWith('error.backendRecipeUnsupported', () => backend.vlanBridges({ nic: 'eno1', vlans: [], mtu1496: false, txOff: false }, 'xl', files));
  }
});

test.run();
