// Boot prerequisites (issue 12, deliverable 3): on a Debian dom0 whose dpkg database lacks
// bridge-utils, the ifupdown plan starts with `apt-get install -y bridge-utils` (a journaled
// before-edit command; offline it is listed for the admin), and a live apply refuses (exit 2,
// naming the package, nothing changed). With the package installed, or on a root without dpkg,
// no install step. bond-bridge also needs ifenslave.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, fingerprintDiff, PROJECT, runCli, tempDir, treeFingerprint, unwrapMessages, writeJson } from '../_helpers/roots.js';
import { canUseNetns, missingNetns, Netns, standIns } from '../_helpers/netns.js';
import { skipCheck } from '../_helpers/skip.js';
import { commandLines, type JsonPlan } from '../_helpers/jsonPlan.js';
import { installedDebPackages } from '../../src/render/bootPrerequisites.js';

const entry = (name: string, status = 'install ok installed') => `Package: ${name}\nStatus: ${status}\nPriority: optional\nVersion: 1.0\nDescription: x\n multi-line\n`;
const STATUS_WITHOUT = [entry('ifupdown'), entry('xen-utils-4.17'), entry('bridge-utils', 'deinstall ok config-files')].join('\n');
const STATUS_WITH = [entry('ifupdown'), entry('bridge-utils'), entry('ifenslave')].join('\n');

function debianRoot(status: string | null, fixture = 'debian12'): string {
  const root = copyFixture(fixture);
  if (status !== null) {
    fs.mkdirSync(path.join(root, 'var/lib/dpkg'), { recursive: true });
    fs.writeFileSync(path.join(root, 'var/lib/dpkg/status'), status);
  }
  return root;
}

function plan(root: string, answers: object): JsonPlan & { steps: Array<{ id: string; phase: string; argv?: string[] }> } {
  const r = runCli(['plan', '--root', root, '--answers', writeJson(path.join(tempDir(), 'a.json'), answers), '--json']);
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('dpkg status: only "install ok installed" counts (config-files left by a removal does not)', () => {
  const read = (p: string) => (p === '/var/lib/dpkg/status' ? { text: STATUS_WITHOUT, mode: '0644' } : null);
  assert.equal([...installedDebPackages(read)!].sort(), ['ifupdown', 'xen-utils-4.17']);
  assert.is(installedDebPackages(() => null), null);
});

test('single-bridge without bridge-utils: the first command installs it, before the NIC goes down', () => {
  const p = plan(debianRoot(STATUS_WITHOUT), { recipe: 'single-bridge' });
  const commands = p.steps.filter((s) => s.argv);
  assert.is(commands[0].id, 'run:apt-get-install-prerequisites');
  assert.equal(commands[0].argv, ['apt-get', 'install', '-y', 'bridge-utils']);
  assert.is(commands[0].phase, 'before-edit');
  assert.ok(commands.findIndex((s) => s.argv![0] === 'ifdown') > 0, commandLines(p).join(' | '));
});

test('bond-bridge without bridge-utils and ifenslave: both installed', () => {
  const p = plan(debianRoot(STATUS_WITHOUT, 'debian12-3nic'), { recipe: 'bond-bridge' });
  assert.ok(commandLines(p).includes('apt-get install -y bridge-utils ifenslave'), commandLines(p).join(' | '));
});

test('bridge-utils installed, or no dpkg database in the root: no install step', () => {
  for (const root of [debianRoot(STATUS_WITH), debianRoot(null)]) {
    const p = plan(root, { recipe: 'single-bridge' });
    assert.ok(p.steps.length > 0);
    assert.not.ok(commandLines(p).some((c) => c.startsWith('apt-get')), commandLines(p).join(' | '));
  }
});

test('offline apply lists the install as a command to run, journaled with the rest', () => {
  const root = debianRoot(STATUS_WITHOUT);
  const r = runCli(['apply', '--root', root, '--yes', '--json', '--answers', writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge' })]);
  assert.is(r.status, 0, r.stderr);
  const listed = (JSON.parse(r.stdout) as { listedCommands: string[] }).listedCommands;
  assert.is(listed[0], 'apt-get install -y bridge-utils');
  const again = plan(root, { recipe: 'single-bridge' });
  assert.equal(again.steps, [], 'applied: nothing more to do (the install is listed once)');
});

if (!canUseNetns()) {
  skipCheck(test, 'live apply refuses without bridge-utils', missingNetns()!);
} else {
  test('live apply without bridge-utils: exit 2 naming the package, nothing changed, nothing run', () => {
    const ns = new Netns('prereq');
    try {
      // dom0's eno1 as the demo root describes it: a veth end with its address and the default route.
      for (const cmd of ['link add eno1 type veth peer name lan0', 'link set eno1 up', 'link set lan0 up', 'addr add 192.168.1.10/24 dev eno1', 'route add default via 192.168.1.254']) {
        assert.is(ns.exec(['ip', ...cmd.split(' ')]).status, 0, cmd);
      }
      const root = debianRoot(STATUS_WITHOUT);
      const { bin, log } = standIns(tempDir(), ['apt-get', 'ifup', 'ifdown', 'virsh', 'xl']);
      const before = treeFingerprint(root);
      const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge' });
      const r = ns.exec([process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), 'apply', '--root', root, '--live', '--yes', '--answers', answers],
        { env: { PATH: `${bin}:${process.env.PATH}`, LANG: 'C', NO_COLOR: '1' } });
      assert.is(r.status, 2, r.stderr + r.stdout);
      const said = unwrapMessages(r.stderr);
      assert.match(said, /bridge-utils is not installed/, said);
      assert.match(said, /apt-get install bridge-utils/);
      assert.equal(fingerprintDiff(before, treeFingerprint(root)), []);
      assert.not.match(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '', /apt-get|ifdown|ifup/);
    } finally {
      ns.remove();
    }
  });
}

test.run();
