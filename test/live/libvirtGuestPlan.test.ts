// The live single-bridge plan when a running guest is libvirt's (defined in /etc/libvirt/libxl):
// its vif moves with the others in the one ip -batch, its definition is edited and re-defined
// with virsh, and the plan says that libvirt's live XML of it lags until its next start (libvirt
// 9.0's libxl driver cannot change a running interface: measured in the lab, test/lab/README.md).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFixture } from '../_helpers/roots.js';
import { RootFs } from '../../src/system/rootfs.js';
import { detectHost } from '../../src/detect/index.js';
import { makePlan } from '../../src/plan/makePlan.js';
import type { LiveInputs } from '../../src/recipes/types.js';

/** The demo dom0 (web1 from /etc/xen, build from /etc/libvirt/libxl, both on virbr0), live. */
async function livePlan(running: { name: string; domid: number }[]) {
  const fsys = new RootFs(copyFixture('debian12'));
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
  return makePlan(fsys, host, { recipe: 'single-bridge' }, random, live).plan;
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

test.run();
