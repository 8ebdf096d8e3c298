// The live single-bridge plan when a running guest is libvirt's (defined in /etc/libvirt/libxl):
// its vif moves with the others in the one ip -batch, its definition is edited and re-defined
// with virsh. libvirt 9.0's libxl driver cannot change a running interface (measured in the lab,
// test/lab/README.md): where its daemon can be restarted, libvirt's status file of the guest is
// edited and the daemon restarted last, so its live XML follows; else the plan says it lags.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFixture } from '../_helpers/roots.js';
import { RootFs } from '../../src/system/rootfs.js';
import { detectHost } from '../../src/detect/index.js';
import { makePlan } from '../../src/plan/makePlan.js';
import type { LiveInputs } from '../../src/recipes/types.js';
import fs from 'node:fs';
import path from 'node:path';

/** libvirt's status file of the running build (domid 7), as libvirt 9.0 saves it. */
const STATUS = `<domstatus state='running' reason='booted' pid='0'>
  <domain type='xen' id='7'>
    <name>build</name>
    <uuid>9d0c6b1e-7f3a-4c2b-8e5d-2a1b0c9d8e7f</uuid>
    <devices>
      <interface type='network'>
        <mac address='00:16:3e:2a:10:04'/>
        <source network='default' portid='5c1d0e2f-3a4b-4c5d-9e6f-7a8b9c0d1e2f' bridge='virbr0'/>
        <target dev='vif7.0'/>
      </interface>
    </devices>
  </domain>
</domstatus>
`;

/** The demo dom0 (web1 from /etc/xen, build from /etc/libvirt/libxl, both on virbr0), live. */
async function livePlan(running: { name: string; domid: number }[], extra: Record<string, string> = {}, recipe = 'single-bridge') {
  const dir = copyFixture('debian12');
  for (const [p, text] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), text, { mode: 0o600 });
  }
  const fsys = new RootFs(dir);
  const host = await detectHost(fsys, { live: false, ip: async () => '[]' });
  const live: LiveInputs = {
    snapshot: {
      links: [{ ifname: 'eno1' }, { ifname: 'virbr0', linkinfo: { info_kind: 'bridge' } },
        ...running.map((r) => ({ ifname: `vif${r.domid}.0`, master: 'virbr0' }))],
      routes: [{ dst: 'default', gateway: '192.168.1.254', dev: 'eno1' }],
    },
    running,
    guests: host.guests,
    sshClient: null,
    libxlConfigs: [],
  } as LiveInputs;
  let seed = 1;
  const random = (n: number) => Uint8Array.from({ length: n }, () => (seed = (seed * 75 + 74) % 65537) & 255);
  return makePlan(fsys, host, { recipe }, random, live).plan;
}

test('a running libvirt guest: moved in the batch, re-defined, and the note names it alone', async () => {
  const plan = await livePlan([{ name: 'web1', domid: 5 }, { name: 'build', domid: 7 }]);
  const batch = plan.steps.find((s) => s.id === 'run:ip-batch-bridge');
  assert.ok(batch?.input?.includes('vif7.0'), batch?.input);
  assert.ok(batch?.input?.includes('vif5.0'), batch?.input);
  const ids = plan.steps.map((s) => s.id);
  assert.ok(ids.includes('edit:/etc/libvirt/libxl/build.xml'), ids.join(' '));
  assert.ok(ids.indexOf('edit:/etc/libvirt/libxl/build.xml') < ids.indexOf('run:virsh-define-/etc/libvirt/libxl/build.xml'), ids.join(' '));
  const notes = plan.notes.filter((n) => n.key === 'note.libvirtLiveXml');
  assert.equal(notes, [{ key: 'note.libvirtLiveXml', params: { guests: 'build', bridge: 'xenbr0' } }]);
});

test('no libvirt guest running (only the xl one): no such note, the xl guest still moves', async () => {
  const plan = await livePlan([{ name: 'web1', domid: 5 }]);
  assert.ok(plan.steps.find((s) => s.id === 'run:ip-batch-bridge')?.input?.includes('vif5.0'));
  assert.not.ok(plan.notes.some((n) => n.key === 'note.libvirtLiveXml'));
  assert.ok(plan.notes.some((n) => n.key === 'note.guestsLive'));
});

test('libvirtd restartable by its init script: the status file is edited with the others, the daemon stopped and started last, the note says so', async () => {
  const plan = await livePlan([{ name: 'web1', domid: 5 }, { name: 'build', domid: 7 }], {
    '/run/libvirt/libxl/build.xml': STATUS, '/run/libvirtd.pid': '412\n', '/etc/init.d/libvirtd': '#!/bin/sh\n',
  });
  const ids = plan.steps.map((s) => s.id);
  const status = plan.steps.find((s) => s.id === 'edit:/run/libvirt/libxl/build.xml');
  assert.ok(status?.file?.after?.includes("<interface type='bridge'>\n        <mac address='00:16:3e:2a:10:04'/>\n        <source bridge='xenbr0'/>\n        <target dev='vif7.0'/>"), status?.file?.after ?? ids.join(' '));
  assert.equal(status?.file?.runningDomain, { id: 7, uuid: '9d0c6b1e-7f3a-4c2b-8e5d-2a1b0c9d8e7f' });
  assert.ok(ids.includes('run:virsh-net-destroy-default') && ids.includes('run:virsh-define-/etc/libvirt/libxl/build.xml'), ids.join(' '));
  // Last: after virsh define and the default network's net-destroy / autostart, which need the daemon.
  assert.equal(ids.slice(-2), ['run:libvirt-daemon-restart-1', 'run:libvirt-daemon-restart-2']);
  assert.ok(ids.indexOf('run:virsh-net-destroy-default') < ids.indexOf('run:libvirt-daemon-restart-1'), ids.join(' '));
  assert.ok(ids.indexOf('run:virsh-define-/etc/libvirt/libxl/build.xml') < ids.indexOf('run:libvirt-daemon-restart-1'), ids.join(' '));
  assert.equal(plan.steps.slice(-2).map((s) => s.argv![0]), ['start-stop-daemon', '/etc/init.d/libvirtd']);
  assert.equal(plan.notes.filter((n) => n.key.startsWith('note.libvirt')), [
    { key: 'note.libvirtStatus', params: { guests: 'build', bridge: 'xenbr0', daemon: 'libvirtd' } },
  ]);
});

test('a status file of an older domain (domid 6, the guest restarted since) is not edited: the plan says the live XML lags', async () => {
  const plan = await livePlan([{ name: 'build', domid: 7 }], {
    '/run/libvirt/libxl/build.xml': STATUS.replace("id='7'", "id='6'"), '/run/libvirtd.pid': '412\n', '/etc/init.d/libvirtd': '#!/bin/sh\n',
  });
  assert.not.ok(plan.steps.some((s) => s.id.includes('/run/libvirt') || s.id.startsWith('run:libvirt-daemon')));
  assert.equal(plan.notes.filter((n) => n.key.startsWith('note.libvirt')).map((n) => n.key), ['note.libvirtLiveXml']);
});

test('shadow-bridge moves the vifs live too: the same status file edit to the bridge that takes the NIC\'s name, the daemon restarted last', async () => {
  const plan = await livePlan([{ name: 'web1', domid: 5 }, { name: 'build', domid: 7 }], {
    '/run/libvirt/libxl/build.xml': STATUS, '/run/libvirtd.pid': '412\n', '/etc/init.d/libvirtd': '#!/bin/sh\n',
  }, 'shadow-bridge');
  const ids = plan.steps.map((s) => s.id);
  assert.ok(plan.steps.find((s) => s.id === 'run:ip-batch-shadow')?.input?.includes('vif7.0'), ids.join(' '));
  const status = plan.steps.find((s) => s.id === 'edit:/run/libvirt/libxl/build.xml');
  assert.ok(status?.file?.after?.includes("<source bridge='eno1'/>"), status?.file?.after ?? ids.join(' '));
  assert.equal(ids.slice(-2), ['run:libvirt-daemon-restart-1', 'run:libvirt-daemon-restart-2']);
  assert.equal(plan.notes.filter((n) => n.key.startsWith('note.libvirt')), [
    { key: 'note.libvirtStatus', params: { guests: 'build', bridge: 'eno1', daemon: 'libvirtd' } },
  ]);
  // Without a daemon to restart: no edit, and the plan says the live view lags (it said nothing before).
  const lagging = await livePlan([{ name: 'build', domid: 7 }], {}, 'shadow-bridge');
  assert.not.ok(lagging.steps.some((s) => s.id.includes('/run/libvirt') || s.id.startsWith('run:libvirt-daemon')));
  assert.equal(lagging.notes.filter((n) => n.key.startsWith('note.libvirt')), [
    { key: 'note.libvirtLiveXml', params: { guests: 'build', bridge: 'eno1' } },
  ]);
});

test.run();
