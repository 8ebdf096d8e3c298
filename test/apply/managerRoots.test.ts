// single-bridge on roots built from each distribution's documented defaults
// (test/fixtures/managers/README.md): plan, apply --root (offline), a second plan with nothing to
// do, rollback byte-for-byte (content, mode, symlinks); the plan names the manager's own commands.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { MANAGERS, ubuntu3nic } from '../_helpers/managerRoots.js';
import { assertApplyIdempotentRollback, copyFixture, runCli, tempDir, writeJson } from '../_helpers/roots.js';


for (const [fixture, backend, command] of [
  ['ubuntu2404-server', 'netplan', 'netplan apply'],
  ['ubuntu2404-desktop', 'netplan', 'netplan apply'],
  ['rocky9', 'networkmanager', 'nmcli device connect eno1'],
  ['rocky9-ifcfg', 'networkmanager', 'nmcli device connect eno1'],
] as const) {
  test(`${fixture}: single-bridge plans with ${backend}, applies offline, plans nothing more, rolls back byte-for-byte`, () => {
    const root = copyFixture(path.join(MANAGERS, fixture, 'root'));
    const a = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge' });
    const plan = JSON.parse(runCli(['plan', '--root', root, '--answers', a, '--json']).stdout) as { backend: string; steps: { argv?: string[] }[] };
    assert.is(plan.backend, backend);
    assert.ok(plan.steps.some((s) => s.argv?.join(' ') === command), `${command} in the plan`);
    assertApplyIdempotentRollback(root, a);
    // The journal's plan runs the manager's command again once rollback has put the files back.
    const runs = path.join(root, 'var/lib/xen-net-wizard/runs');
    const journaled = JSON.parse(fs.readFileSync(path.join(runs, fs.readdirSync(runs)[0], 'plan.json'), 'utf8')) as { steps: { argv?: string[]; rerunOnRollback?: boolean }[] };
    assert.ok(journaled.steps.find((s) => s.argv?.join(' ') === command)?.rerunOnRollback);
  });
}

test('ubuntu2404-server with three NICs: bond-bridge with netplan applies, plans nothing more, rolls back byte-for-byte', () => {
  const root = ubuntu3nic();
  assertApplyIdempotentRollback(root, writeJson(path.join(tempDir(), 'a.json'), { recipe: 'bond-bridge' }));
});

test('ubuntu2404-server: internal-dummy with netplan (xenbr1 with no port) applies, plans nothing more, rolls back byte-for-byte', () => {
  const root = copyFixture(path.join(MANAGERS, 'ubuntu2404-server/root'));
  assertApplyIdempotentRollback(root, writeJson(path.join(tempDir(), 'a.json'), { recipe: 'internal-dummy' }));
});

test('rocky9-ifcfg: the ifcfg files stay readable by NetworkManager (no NM_CONTROLLED=no), never a config nothing reads', () => {
  const root = copyFixture(path.join(MANAGERS, 'rocky9-ifcfg/root'));
  const a = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge' });
  const plan = JSON.parse(runCli(['plan', '--root', root, '--answers', a, '--json']).stdout) as { steps: { file?: { path: string; after: string | null } }[] };
  const bridge = plan.steps.find((s) => s.file?.path === '/etc/sysconfig/network-scripts/ifcfg-xenbr0')?.file;
  assert.match(bridge?.after ?? '', /^TYPE=Bridge$/m);
  assert.match(bridge?.after ?? '', /^IPADDR=192\.168\.1\.20$/m);
  assert.not.match(bridge?.after ?? '', /NM_CONTROLLED/);
  const nic = plan.steps.find((s) => s.file?.path === '/etc/sysconfig/network-scripts/ifcfg-eno1')?.file;
  assert.match(nic?.after ?? '', /^BRIDGE=xenbr0$/m);
});

test.run();
