// A booted netplan host (renderer networkd): netplan's generator has written its rendering into
// /run/systemd/network/10-netplan-<nic>.network. That file is netplan's config, not networkd's
// own: detection must name netplan alone, as the manager lab's netplan VM showed it did not.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../_helpers/roots.js';
import { RootFs } from '../../../src/system/rootfs.js';
import { decideManager } from '../../../src/detect/managers/index.js';

test('netplan\'s runtime networkd files (/run/systemd/network/10-netplan-*) do not make networkd a second manager of the NIC', () => {
  const root = tempDir('xnw-netplanrun-');
  const put = (p: string, text: string) => { fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true }); fs.writeFileSync(path.join(root, p), text); };
  put('etc/netplan/01-netcfg.yaml', 'network:\n  version: 2\n  renderer: networkd\n  ethernets:\n    eth0:\n      addresses: [192.168.1.3/24]\n');
  put('usr/lib/systemd/system-generators/netplan', '');
  put('usr/lib/systemd/system/systemd-networkd.service', '[Unit]\n');
  fs.mkdirSync(path.join(root, 'etc/systemd/system/multi-user.target.wants'), { recursive: true });
  fs.symlinkSync('../../../../usr/lib/systemd/system/systemd-networkd.service', path.join(root, 'etc/systemd/system/multi-user.target.wants/systemd-networkd.service'));
  put('sys/class/net/eth0/address', '52:54:00:00:00:01\n');
  put('run/systemd/network/10-netplan-eth0.network', '[Match]\nName=eth0\n\n[Network]\nAddress=192.168.1.3/24\n');
  const d = decideManager(new RootFs(root), 'eth0');
  assert.is(d.backend, 'netplan');
  assert.equal(d.conflict, []);
  // A .network of the admin's own in /run still counts for networkd.
  put('run/systemd/network/20-eth0.network', '[Match]\nName=eth0\n');
  assert.equal(decideManager(new RootFs(root), 'eth0').conflict.sort(), ['netplan', 'networkd']);
});

test.run();
