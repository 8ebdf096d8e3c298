// The probes of systemd-networkd, wicked, netifrc and NixOS over roots built from each
// distribution's documented defaults (test/fixtures/distros/README.md): which manager runs at
// boot (an enabled unit, a runlevel link, the system itself), which NICs it names, and why — and
// that a manager whose files exist but which is not enabled is reported, not active.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT, copyFixture } from '../../_helpers/roots.js';
import { RootFs } from '../../../src/system/rootfs.js';
import { probeNetworkd } from '../../../src/detect/managers/networkd.js';
import { probeWicked } from '../../../src/detect/managers/wicked.js';
import { probeNetifrc } from '../../../src/detect/managers/netifrc.js';
import { probeNixos } from '../../../src/detect/managers/nixos.js';
import type { ManagerProbe } from '../../../src/detect/managers/types.js';

const DISTROS = path.join(PROJECT, 'test/fixtures/distros');
const ROOTS = fs.readdirSync(DISTROS).filter((d) => fs.statSync(path.join(DISTROS, d)).isDirectory());
const PROBES: Record<string, ManagerProbe> = { networkd: probeNetworkd, wicked: probeWicked, netifrc: probeNetifrc, nixos: probeNixos };
const fsOf = (name: string) => new RootFs(path.join(DISTROS, name, 'root'));
const keys = (c: ReturnType<ManagerProbe>) => c!.evidence.map((e) => e.key);

// root → the one of these probes that claims it (active), and its NICs; every other probe: null.
const EXPECTED: Record<string, [string, string[]] | null> = {
  'arch-networkd': ['networkd', ['enp1s0']],
  'opensuse-wicked': ['wicked', ['eth0']],
  'gentoo-netifrc': ['netifrc', ['eth0']],
  nixos: ['nixos', ['eth0']],
  'alpine-ifupdown-ng': null,
};

test('each root is claimed, active, by its own manager\'s probe and by no other of these', () => {
  assert.equal(new Set(ROOTS), new Set(Object.keys(EXPECTED)));
  for (const root of ROOTS) {
    for (const [id, probe] of Object.entries(PROBES)) {
      const claim = probe(fsOf(root));
      const expected = EXPECTED[root];
      if (expected && expected[0] === id) {
        assert.equal([claim?.backend, claim?.active, claim?.nics], [id, true, expected[1]], `${root}: ${id}`);
      } else {
        assert.is(claim, null, `${root}: ${id} claims it`);
      }
    }
  }
});

test('why: the enabled units, the files and lines that name the NIC', () => {
  assert.equal(probeNetworkd(fsOf('arch-networkd'))!.evidence, [
    { key: 'evidence.systemdWants', params: { link: '/etc/systemd/system/multi-user.target.wants/systemd-networkd.service' } },
    { key: 'evidence.systemdWants', params: { link: '/etc/systemd/system/sockets.target.wants/systemd-networkd.socket' } },
    { key: 'evidence.networkdFile', params: { file: '/etc/systemd/network/20-wired.network', nic: 'enp1s0' } },
  ]);
  assert.equal(keys(probeWicked(fsOf('opensuse-wicked'))), ['evidence.systemdWants', 'evidence.systemdAlias', 'evidence.wickedIfcfg']);
  assert.equal(probeNetifrc(fsOf('gentoo-netifrc'))!.evidence, [
    { key: 'evidence.netifrcRunlevel', params: { link: '/etc/runlevels/default/net.eth0' } },
    { key: 'evidence.netifrcConfig', params: { file: '/etc/conf.d/net', line: 1, nic: 'eth0' } },
  ]);
  assert.equal(probeNixos(fsOf('nixos'))!.evidence[1], { key: 'evidence.nixosInterface', params: { file: '/etc/nixos/configuration.nix', line: 7, nic: 'eth0' } });
});

test('files without the unit: reported, not active; a masked unit is not enabled; a glob names the links it matches', () => {
  const root = copyFixture(path.join(DISTROS, 'arch-networkd/root'));
  const wants = path.join(root, 'etc/systemd/system');
  fs.rmSync(path.join(wants, 'sockets.target.wants'), { recursive: true });
  fs.symlinkSync('/dev/null', path.join(wants, 'systemd-networkd.service'));
  fs.writeFileSync(path.join(root, 'etc/systemd/network/20-wired.network'), '[Match]\nName=en*\n\n[Network]\nDHCP=yes\n');
  fs.mkdirSync(path.join(root, 'sys/class/net/enp2s0'));
  fs.mkdirSync(path.join(root, 'sys/class/net/wlan0'));
  const claim = probeNetworkd(new RootFs(root))!;
  assert.equal([claim.active, claim.nics], [false, ['enp1s0', 'enp2s0']]);
  const suse = copyFixture(path.join(DISTROS, 'opensuse-wicked/root'));
  fs.rmSync(path.join(suse, 'etc/systemd/system'), { recursive: true });
  fs.writeFileSync(path.join(suse, 'etc/sysconfig/network/ifcfg-eth1.old'), "BOOTPROTO='dhcp'\n");
  assert.equal([probeWicked(new RootFs(suse))!.active, probeWicked(new RootFs(suse))!.nics], [false, ['eth0']], 'ifcfg-eth1.old is ignored, as wicked ignores it');
  const gentoo = copyFixture(path.join(DISTROS, 'gentoo-netifrc/root'));
  fs.rmSync(path.join(gentoo, 'etc/runlevels/default/net.eth0'));
  assert.equal([probeNetifrc(new RootFs(gentoo))!.active, probeNetifrc(new RootFs(gentoo))!.nics], [false, ['eth0']]);
});

test('a running Ubuntu host: netplan\'s generated 10-netplan-*.network in /run is netplan\'s, not a second manager; an admin\'s /run file still counts', () => {
  const root = copyFixture(path.join(PROJECT, 'test/fixtures/managers/ubuntu2404-server/root'));
  fs.mkdirSync(path.join(root, 'run/systemd/network'), { recursive: true });
  fs.writeFileSync(path.join(root, 'run/systemd/network/10-netplan-eno1.network'), '[Match]\nName=eno1\n\n[Network]\nAddress=192.168.1.20/24\n');
  assert.equal(probeNetworkd(new RootFs(root))?.nics, []);
  fs.writeFileSync(path.join(root, 'run/systemd/network/20-eno1.network'), '[Match]\nName=eno1\n\n[Network]\nDHCP=yes\n');
  assert.equal(probeNetworkd(new RootFs(root))?.nics, ['eno1']);
});

test.run();
