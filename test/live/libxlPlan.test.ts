// The live single-bridge plan on a dom0 with a running guest: libxl's stored config of that guest
// gets the new bridge as a journaled file step (after the guest's own file), a guest without one
// (the namespace testbed, no Xen) gets none.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture } from '../_helpers/roots.js';
import { RootFs } from '../../src/system/rootfs.js';
import { detectHost } from '../../src/detect/index.js';
import { makePlan } from '../../src/plan/makePlan.js';
import type { LiveInputs } from '../../src/recipes/types.js';
import { LIBXL_DIR, libxlConfigPaths } from '../../src/live/libxlConfig.js';

// As libxl writes it: yajl's beautified JSON and the C string's NUL (libxl__set_domain_configuration).
const stored = (bridge: string) => `{\n    "c_info": {\n        "name": "web1"\n    },\n    "nics": [\n        {\n            "devid": 0,\n            "mac": "00:16:3e:2a:10:01",\n            "bridge": "${bridge}"\n        }\n    ]\n}\n\0`;
const file = `${LIBXL_DIR}/userdata-d.5.5a1d0c2e-9a63-4c1b-8f0e-2b7d3f6a9c11.libxl-json`;

async function livePlan(withStore: boolean) {
  const root = copyFixture('debian12');
  if (withStore) {
    fs.mkdirSync(path.join(root, LIBXL_DIR), { recursive: true });
    fs.writeFileSync(path.join(root, file), stored('virbr0'), { mode: 0o600 });
  }
  const fsys = new RootFs(root);
  const host = await detectHost(fsys, { live: false, ip: async () => '[]' });
  const live: LiveInputs = {
    snapshot: {
      links: [{ ifname: 'eno1' }, { ifname: 'virbr0', linkinfo: { info_kind: 'bridge' } }, { ifname: 'vif5.0', master: 'virbr0' }],
      routes: [{ dst: 'default', gateway: '192.168.1.254', dev: 'eno1' }],
    },
    running: [{ name: 'web1', domid: 5 }],
    guests: host.guests,
    sshClient: null,
    libxlConfigs: libxlConfigPaths(fsys.list(LIBXL_DIR), [5]),
  } as LiveInputs;
  let seed = 1;
  const random = (n: number) => Uint8Array.from({ length: n }, () => (seed = (seed * 75 + 74) % 65537) & 255);
  return makePlan(fsys, host, { recipe: 'single-bridge' }, random, live).plan;
}

test('the moved guest\'s stored config is edited with the other files, its bridge only, ephemeral', async () => {
  const plan = await livePlan(true);
  const ids = plan.steps.map((s) => s.id);
  const step = plan.steps.find((s) => s.id === `edit:${file}`);
  assert.ok(step, ids.join(' '));
  assert.is(step!.phase, 'edit');
  assert.equal(step!.title, { key: 'step.libxlConfig', params: { guest: 'web1', bridge: 'xenbr0' } });
  assert.equal(step!.file, { path: file, mode: '0600', before: stored('virbr0'), after: stored('xenbr0'), ephemeral: true });
  assert.ok(ids.indexOf('run:ip-batch-bridge') < ids.indexOf(`edit:${file}`));
  assert.ok(ids.indexOf('edit:/etc/xen/web1.cfg') < ids.indexOf(`edit:${file}`), 'after the guest\'s own file');
});

test('no stored config (no libxl here): no step for it', async () => {
  const plan = await livePlan(false);
  assert.not.ok(plan.steps.some((s) => s.id.startsWith(`edit:${LIBXL_DIR}`)));
  assert.ok(plan.steps.some((s) => s.id === 'run:ip-batch-bridge'));
});

test.run();
