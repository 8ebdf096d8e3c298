// --live hands the moved NIC to the files only at the next boot. Where a daemon (NetworkManager,
// directly or as netplan's renderer, wicked) holds the old config in memory and its hand-over is
// not proven, the planner refuses before anything is written, naming the backend; where the
// configuration is read only at boot (ifupdown, ifupdown-ng, initscripts' ifcfg) it plans the
// move; on networkd and netplan → networkd, whose hand-over is proven against the real daemon
// (test/testbed/liveDaemons.test.ts), it plans the batch, the files, then (`netplan generate`)
// `networkctl reload`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { RootFs } from '../../src/system/rootfs.js';
import { detectHost } from '../../src/detect/index.js';
import { makePlan } from '../../src/plan/makePlan.js';
import { InputError } from '../../src/errors.js';
import { copyFixture, PROJECT } from '../_helpers/roots.js';
import { translator } from '../../src/i18n.js';

const ROOTS: [string, string, 'refused' | 'planned'][] = [
  ['test/fixtures/distros/arch-networkd/root', 'networkd', 'planned'],
  ['test/fixtures/distros/opensuse-wicked/root', 'wicked', 'refused'],
  ['test/fixtures/managers/ubuntu2404-server/root', 'netplan', 'planned'],
  ['test/fixtures/managers/ubuntu2404-desktop/root', 'netplan', 'refused'],
  ['test/fixtures/managers/rocky9/root', 'networkmanager', 'refused'],
  ['test/fixtures/distros/alpine-ifupdown-ng/root', 'ifupdown-ng', 'planned'],
];

/** The NIC with the default route, with its address, as `ip -json` would show it live. */
function liveOf(nic: string) {
  return {
    snapshot: {
      links: [{ ifname: nic, ifindex: 2, address: '52:54:00:12:34:56', flags: ['UP'], operstate: 'UP', addr_info: [{ family: 'inet', local: '192.168.1.3', prefixlen: 24 }] }],
      routes: [{ dst: 'default', gateway: '192.168.1.254', dev: nic }],
    },
    running: [], guests: [], sshClient: null,
  } as unknown as Parameters<typeof makePlan>[4];
}

for (const [fixture, backend, outcome] of ROOTS) {
  test(`--live on ${backend} (${path.basename(path.dirname(fixture))}): ${outcome}`, async () => {
    const root = copyFixture(path.join(PROJECT, fixture));
    const disk = new RootFs(root);
    const host = await detectHost(disk, { live: false, ip: async () => '[]' });
    assert.is(host.backend, backend);
    const nic = host.defaultRouteNic ?? host.links.find((l) => l.name !== 'lo')!.name;
    const before = fs.readdirSync(root, { recursive: true }).length;
    const random = (n: number) => new Uint8Array(n).fill(7);
    let refused: InputError | null = null;
    let plan: ReturnType<typeof makePlan> | null = null;
    try {
      plan = makePlan(disk, { ...host, profile: 'xl' }, { recipe: 'single-bridge' }, random, liveOf(nic));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      refused = e;
    }
    if (outcome === 'refused') {
      assert.ok(refused, 'refused');
      assert.is(refused!.key, 'error.liveBackendUnproven');
      assert.is(refused!.params.backend, backend);
      assert.match(translator('en')(refused!.key, refused!.params), new RegExp(`backend ${backend} yet.*Nothing was changed.*Run without --live`));
    } else {
      assert.is(refused, null, refused?.key);
      const ids = plan!.plan.steps.map((st) => st.id);
      assert.is(ids[0], 'run:ip-batch-bridge', 'the batch first');
      const reload = ids.indexOf('run:networkctl-reload');
      if (backend === 'networkd' || backend === 'netplan') {
        assert.ok(reload > ids.findLastIndex((id) => id.startsWith('file:')), `the hand-over after every file: ${ids.join(' ')}`);
        if (backend === 'netplan') assert.is(ids.indexOf('run:netplan-generate'), reload - 1, ids.join(' '));
        assert.not.ok(ids.includes('run:netplan-apply'), 'netplan apply would take the links down');
        assert.not.ok(ids.some((id) => /reconfigure|ifup|ifdown/.test(id)), ids.join(' '));
      } else {
        assert.is(reload, -1);
      }
    }
    assert.is(fs.readdirSync(root, { recursive: true }).length, before, 'nothing written');
  });
}

test.run();
