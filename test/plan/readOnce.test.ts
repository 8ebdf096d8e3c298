// DESIGN.md "each file read once": detection reads and parses every guest definition, interfaces
// file and ifcfg file, and the planner works from that — counted through the RootFs seam (every
// content read goes through readBytes) on roots with 50 guests more than their fixture.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { RootFs } from '../../src/system/rootfs.js';
import { detectHost } from '../../src/detect/index.js';
import { makePlan } from '../../src/plan/makePlan.js';
import { copyFixture } from '../_helpers/roots.js';

class CountingFs extends RootFs {
  readonly reads = new Map<string, number>();
  override readBytes(p: string): Buffer | null {
    this.reads.set(p, (this.reads.get(p) ?? 0) + 1);
    return super.readBytes(p);
  }
}

const GUESTS = 50;

function withGuests(fixture: string): string {
  const root = copyFixture(fixture);
  for (let i = 0; i < GUESTS; i++) {
    const mac = `00:16:3e:20:00:${i.toString(16).padStart(2, '0')}`;
    fs.writeFileSync(path.join(root, `etc/xen/many${i}`), `name = "many${i}"\nmemory = 256\nvif = [ 'mac=${mac},bridge=virbr0' ]\n`);
  }
  return root;
}

for (const [fixture, config] of [['debian12', '/etc/network/interfaces'], ['rhel-xl', '/etc/sysconfig/network-scripts/ifcfg-eth0'], ['centos5', '/etc/sysconfig/network-scripts/ifcfg-eth0']] as const) {
  test(`${fixture}: detect + plan for ${GUESTS} more guests read each file once`, async () => {
    const disk = new CountingFs(withGuests(fixture));
    const host = await detectHost(disk, { live: false, ip: async () => '[]' });
    let seed = 7;
    const random = (n: number) => Uint8Array.from({ length: n }, () => (seed = (seed * 75 + 74) % 65537) & 255);
    const planned = makePlan(disk, host, { recipe: 'single-bridge', guests: host.guests.map((g) => g.name) }, random);
    const guestFiles = [...disk.reads.keys()].filter((p) => /^\/etc\/xen\/many\d+$/.test(p));
    assert.is(guestFiles.length, GUESTS, 'every added guest definition was read');
    assert.ok(disk.reads.has(config), `${config} was read`);
    // The plan edits those files: the planner worked from what detection read.
    assert.ok(planned.plan.steps.filter((s) => s.file?.path.startsWith('/etc/xen/many')).length === GUESTS);
    const twice = [...disk.reads].filter(([, n]) => n > 1);
    assert.equal(twice, [], 'no file read twice');
  });
}

test.run();
