// Drift (a file of the run edited by hand after apply) and the one-run-at-a-time lock, in-process:
// what rollback refuses and why, and who may take a lock.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../_helpers/roots.js';
import { applyAll, dom0, edit, planOf, recorder } from '../_helpers/plans.js';
import { findDrift, refuseDrift } from '../../src/exec/drift.js';
import { acquireLock, refuseIfLocked } from '../../src/exec/lock.js';
import { InputError } from '../../src/errors.js';
import { rollbackRun } from '../../src/exec/rollback.js';

/** A diff as shown to the user, without its frame (│ before each line). */
const body = (diff: string) => diff.replace(/^│ /gm, '');

test('drift: a file edited by hand after apply is named with a diff and rollback refuses unless forced', async () => {
  const { root, fs: fs_ } = dom0();
  const plan = planOf([
    edit('/etc/network/interfaces', 'auto eth0\niface eth0 inet dhcp\n', 'auto xenbr0\n'),
    edit('/etc/xen-guest.cfg', "vif = [ 'bridge=virbr0' ]\n", "vif = [ 'bridge=xenbr0' ]\n"),
  ]);
  const session = await applyAll(plan, fs_, recorder());
  assert.equal(findDrift(session.journal, fs_), [], 'untouched since apply: no drift');
  // Holding the original again (a run killed before its rename) is not drift either.
  fs.writeFileSync(path.join(root, 'etc/network/interfaces'), 'auto eth0\niface eth0 inet dhcp\n');
  assert.equal(findDrift(session.journal, fs_), []);
  fs.writeFileSync(path.join(root, 'etc/xen-guest.cfg'), "vif = [ 'bridge=xenbr0,rate=10Mb/s' ]\n");
  const drift = findDrift(session.journal, fs_);
  assert.equal(drift.map((d) => d.path), ['/etc/xen-guest.cfg']);
  assert.match(body(drift[0].diff), /^-vif = \[ 'bridge=xenbr0' \]$/m);
  assert.match(body(drift[0].diff), /^\+vif = \[ 'bridge=xenbr0,rate=10Mb\/s' \]$/m);
  assert.throws(() => refuseDrift(session.journal, fs_, false), (e: unknown) => e instanceof InputError && e.key === 'error.rollbackDrift');
  refuseDrift(session.journal, fs_, true);
  fs.rmSync(path.join(root, 'etc/xen-guest.cfg'));
  assert.equal(findDrift(session.journal, fs_).map((d) => d.path), ['/etc/xen-guest.cfg'], 'a removed file is drift too');
});

test('libxl\'s stored config is ephemeral: gone with its domain it is neither drift nor restored; there, it is put back byte for byte', async () => {
  const { root, fs: fs_ } = dom0();
  const gone = '/var/lib/xen/userdata-d.1.5a1d0c2e-9a63-4c1b-8f0e-2b7d3f6a9c11.libxl-json';
  const kept = '/var/lib/xen/userdata-d.2.00000000-0000-0000-0000-000000000002.libxl-json';
  const config = (bridge: string) => `{\n    "nics": [\n        {\n            "devid": 0,\n            "bridge": "${bridge}"\n        }\n    ]\n}\n`;
  const ephemeral = (p: string): ReturnType<typeof edit> => {
    const step = edit(p, config('virbr0'), config('xenbr0'), '0600');
    return { ...step, file: { ...step.file!, ephemeral: true } };
  };
  fs.mkdirSync(path.join(root, 'var/lib/xen'), { recursive: true });
  for (const p of [gone, kept]) fs.writeFileSync(path.join(root, p), config('virbr0'), { mode: 0o600 });
  const session = await applyAll(planOf([ephemeral(gone), ephemeral(kept)]), fs_, recorder());
  assert.is(fs.readFileSync(path.join(root, gone), 'utf8'), config('xenbr0'));
  // g1 rebooted since: libxl deleted its old domid's file (the new domid has its own).
  fs.rmSync(path.join(root, gone));
  assert.equal(findDrift(session.journal, fs_), []);
  const events: string[] = [];
  const report = await rollbackRun(session.journal, fs_, recorder(), (e) => events.push(`${e.kind} ${e.what}`));
  assert.equal(report.errors, []);
  assert.not.ok(fs.existsSync(path.join(root, gone)), 'no orphan file for a domain that is gone');
  assert.ok(events.includes(`gone ${gone}`));
  assert.equal(report.restored, [kept]);
  assert.is(fs.readFileSync(path.join(root, kept), 'utf8'), config('virbr0'));
  assert.is((fs.statSync(path.join(root, kept)).mode & 0o777).toString(8), '600');
  // An ordinary file removed by hand stays drift (the test above); an ephemeral one edited by hand too.
  const again = await applyAll(planOf([ephemeral(kept)]), fs_, recorder());
  assert.is(fs.readFileSync(path.join(root, kept), 'utf8'), config('xenbr0'));
  fs.writeFileSync(path.join(root, kept), config('br-other'));
  assert.equal(findDrift(again.journal, fs_).map((d) => d.path), [kept]);
});

test('libvirt\'s status file is bound to its domain: re-saved by libvirt it is no drift and is put back; a newer domain\'s file is left alone', async () => {
  const { root, fs: fs_ } = dom0();
  const status = (id: number, reason: string, bridge: string) =>
    `<domstatus state='running' reason='${reason}' pid='0'>\n  <domain type='xen' id='${id}'>\n    <uuid>9d0c6b1e-7f3a-4c2b-8e5d-2a1b0c9d8e7f</uuid>\n    <source bridge='${bridge}'/>\n  </domain>\n</domstatus>\n`;
  const kept = '/run/libvirt/libxl/lg1.xml';
  const newer = '/run/libvirt/libxl/lg2.xml';
  const bound = (p: string): ReturnType<typeof edit> => {
    const step = edit(p, status(1, 'booted', 'virbr0'), status(1, 'booted', 'xenbr0'), '0600');
    return { ...step, file: { ...step.file!, ephemeral: true, runningDomain: { id: 1, uuid: '9d0c6b1e-7f3a-4c2b-8e5d-2a1b0c9d8e7f' } } };
  };
  fs.mkdirSync(path.join(root, 'run/libvirt/libxl'), { recursive: true });
  for (const p of [kept, newer]) fs.writeFileSync(path.join(root, p), status(1, 'booted', 'virbr0'), { mode: 0o600 });
  const session = await applyAll(planOf([bound(kept), bound(newer)]), fs_, recorder());
  // libvirtd restarted: it reconnected lg1 and saved its file again in its own words (reason unknown);
  // lg2 was shut down and started again through libvirt since: domid 2, started on xenbr0.
  fs.writeFileSync(path.join(root, kept), status(1, 'unknown', 'xenbr0'));
  fs.writeFileSync(path.join(root, newer), status(2, 'booted', 'xenbr0'));
  assert.equal(findDrift(session.journal, fs_), []);
  const events: string[] = [];
  const report = await rollbackRun(session.journal, fs_, recorder(), (e) => events.push(`${e.kind} ${e.what}`));
  assert.equal(report.errors, []);
  assert.equal(report.restored, [kept]);
  assert.is(fs.readFileSync(path.join(root, kept), 'utf8'), status(1, 'booted', 'virbr0'));
  assert.ok(events.includes(`restarted ${newer}`), events.join('\n'));
  assert.is(fs.readFileSync(path.join(root, newer), 'utf8'), status(2, 'booted', 'xenbr0'), 'the newer domain\'s record is not overwritten with the old one');
});

test('one run at a time: a live owner refuses (exit 2), a dead owner\'s lock is taken over and reported, release frees it', () => {
  const state = path.join(tempDir(), 'state');
  const file = path.join(state, 'lock');
  const first = acquireLock(state);
  assert.is(fs.readFileSync(file, 'utf8'), `${process.pid}\n`);
  assert.is((fs.statSync(state).mode & 0o777).toString(8), '700');
  refuseIfLocked(state); // our own lock does not refuse us
  first.release();
  assert.not.ok(fs.existsSync(file));
  // A live process that is not us (our parent) holds it.
  fs.writeFileSync(file, `${process.ppid}\n`);
  assert.throws(() => acquireLock(state), (e: unknown) => e instanceof InputError && e.key === 'error.locked');
  assert.throws(() => refuseIfLocked(state), (e: unknown) => e instanceof InputError && e.key === 'error.locked');
  assert.is(fs.readFileSync(file, 'utf8'), `${process.ppid}\n`, 'a refused run leaves the lock alone');
  // A dead one (no such PID).
  fs.writeFileSync(file, '999999\n');
  refuseIfLocked(state);
  const stale: number[] = [];
  const second = acquireLock(state, (pid) => stale.push(pid));
  assert.equal(stale, [999999]);
  assert.is(fs.readFileSync(file, 'utf8'), `${process.pid}\n`);
  // Release never removes a lock that is no longer ours.
  fs.writeFileSync(file, `${process.ppid}\n`);
  second.release();
  assert.ok(fs.existsSync(file));
});

test('drift of links, removals and non-files: each named with what is there now; journals older than the check are not judged', async () => {
  const { root, fs: fs_ } = dom0();
  fs.mkdirSync(path.join(root, 'etc/autostart'));
  fs.symlinkSync('../default.xml', path.join(root, 'etc/autostart/default.xml'));
  const plan = planOf([
    { ...edit('/etc/autostart/default.xml', null, null), file: { path: '/etc/autostart/default.xml', mode: '0777', before: null, after: null, linkTarget: '../default.xml' } },
    { ...edit('/etc/links/net1.xml', null, null), file: { path: '/etc/links/net1.xml', mode: '0777', before: null, after: null, createLink: '../net1.xml' } },
    edit('/etc/network/interfaces', 'auto eth0\niface eth0 inet dhcp\n', null),
    edit('/etc/xen-guest.cfg', "vif = [ 'bridge=virbr0' ]\n", "vif = [ 'bridge=xenbr0' ]\n"),
  ]);
  const { journal } = await applyAll(plan, fs_, recorder());
  assert.equal(findDrift(journal, fs_), [], 'everything as the run left it');
  fs.symlinkSync('../default.xml', path.join(root, 'etc/autostart/default.xml'));
  fs.writeFileSync(path.join(root, 'etc/network/interfaces'), 'auto eth0\niface eth0 inet dhcp\n');
  assert.equal(findDrift(journal, fs_), [], 'the originals back (a run killed before its rename) are not drift');
  fs.rmSync(path.join(root, 'etc/links/net1.xml'));
  fs.symlinkSync('../other.xml', path.join(root, 'etc/links/net1.xml'));
  fs.writeFileSync(path.join(root, 'etc/network/interfaces'), 'hand-made\n');
  fs.rmSync(path.join(root, 'etc/autostart/default.xml'));
  fs.mkdirSync(path.join(root, 'etc/autostart/default.xml'));
  const drift = findDrift(journal, fs_);
  assert.equal(drift.map((d) => d.path), ['/etc/autostart/default.xml', '/etc/links/net1.xml', '/etc/network/interfaces']);
  assert.match(body(drift[0].diff), /^\+\(not a regular file\)$/m);
  assert.match(body(drift[1].diff), /^\+-> \.\.\/other\.xml$/m);
  assert.match(body(drift[2].diff), /^\+hand-made$/m);
  try {
    refuseDrift(journal, fs_, false);
    assert.unreachable('refused');
  } catch (err) {
    const params = (err as InputError).params as Record<string, string>;
    assert.is(params.id, journal.state.id);
    assert.is(params.files, '/etc/autostart/default.xml, /etc/links/net1.xml, /etc/network/interfaces');
    assert.is(params.diff, drift.map((d) => d.diff).join('\n'));
  }
  // A journal written before afterSha256 existed cannot tell: restored as before, never refused.
  for (const d of journal.state.done) delete d.file!.afterSha256;
  for (const d of journal.state.done) delete d.file!.afterLink;
  assert.equal(findDrift(journal, fs_), []);
});

test('drift of a file an offline command removed: the diff is against what the command left (nothing)', async () => {
  const { root, fs: fs_ } = dom0();
  const plan = planOf([{ id: 'run:virsh', kind: 'command', title: { key: 't', params: {} }, phase: 'after-edit', argv: ['virsh', 'net-autostart', 'default', '--disable'],
    offline: { path: '/etc/xen-guest.cfg', mode: '0644', before: "vif = [ 'bridge=virbr0' ]\n", after: null } }]);
  const { journal } = await applyAll(plan, fs_, { ...recorder(), live: false });
  assert.equal(findDrift(journal, fs_), []);
  fs.writeFileSync(path.join(root, 'etc/xen-guest.cfg'), 'recreated\n');
  const [d] = findDrift(journal, fs_);
  assert.is(d.path, '/etc/xen-guest.cfg');
  assert.match(body(d.diff), /^\+recreated$/m);
  assert.not.match(body(d.diff), /bridge=virbr0/, 'compared with what the run left, not with the original');
});

test('the lock: taken whole (no temp file left), a state directory tightened to 0700, our own PID or garbage taken over silently, released once', () => {
  const state = path.join(tempDir(), 'state');
  fs.mkdirSync(state, { mode: 0o755 });
  fs.chmodSync(state, 0o755);
  const a = acquireLock(state);
  assert.equal(fs.readdirSync(state), ['lock']);
  assert.is((fs.statSync(state).mode & 0o777).toString(8), '700');
  a.release();
  a.release(); // already gone: no error
  const stale: number[] = [];
  for (const content of [`${process.pid}\n`, 'garbage\n', '']) {
    fs.writeFileSync(path.join(state, 'lock'), content);
    const l = acquireLock(state, (pid) => stale.push(pid));
    assert.is(fs.readFileSync(path.join(state, 'lock'), 'utf8'), `${process.pid}\n`, JSON.stringify(content));
    l.release();
  }
  assert.equal(stale, [], 'no dead owner to report');
  const file = path.join(tempDir(), 'not-a-dir');
  fs.writeFileSync(file, '');
  assert.throws(() => acquireLock(file), (e: unknown) => !(e instanceof InputError) && (e as NodeJS.ErrnoException).code === 'ENOTDIR');
  const parent = path.join(tempDir(), 'a/b/state');
  acquireLock(parent).release();
  assert.is((fs.statSync(parent).mode & 0o777).toString(8), '700', 'a new state directory is made private, parents as usual');
});

test('drift judged against the original too: a created file removed again, a removed link put back (only with its old target), a written file deleted', async () => {
  const { root, fs: fs_ } = dom0();
  fs.mkdirSync(path.join(root, 'etc/autostart'));
  fs.symlinkSync('../default.xml', path.join(root, 'etc/autostart/default.xml'));
  const plan = planOf([
    edit('/etc/made.cfg', null, 'new\n'),
    { ...edit('/etc/autostart/default.xml', null, null), file: { path: '/etc/autostart/default.xml', mode: '0777', before: null, after: null, linkTarget: '../default.xml' } },
    edit('/etc/xen-guest.cfg', "vif = [ 'bridge=virbr0' ]\n", "vif = [ 'bridge=xenbr0' ]\n"),
  ]);
  const { journal } = await applyAll(plan, fs_, recorder());
  refuseDrift(journal, fs_, false); // nothing changed since: not refused
  fs.rmSync(path.join(root, 'etc/made.cfg'));
  assert.equal(findDrift(journal, fs_), [], 'a created file gone again is the original state');
  fs.symlinkSync('../elsewhere.xml', path.join(root, 'etc/autostart/default.xml'));
  fs.rmSync(path.join(root, 'etc/xen-guest.cfg'));
  const drift = findDrift(journal, fs_);
  assert.equal(drift.map((d) => d.path), ['/etc/autostart/default.xml', '/etc/xen-guest.cfg']);
  assert.match(body(drift[1].diff), /^-vif = \[ 'bridge=xenbr0' \]$/m);
  assert.not.match(body(drift[1].diff), /not a regular file/, 'a deleted file is shown as deleted');
});

test('the lock: a refused run leaves the state directory\'s mode alone; the lock file is 0600; refusals name the PID and the file', () => {
  const state = path.join(tempDir(), 'state');
  fs.mkdirSync(state);
  fs.chmodSync(state, 0o755);
  fs.writeFileSync(path.join(state, 'lock'), `${process.ppid}\n`);
  for (const f of [() => acquireLock(state), () => refuseIfLocked(state)]) {
    try {
      f();
      assert.unreachable('refused');
    } catch (err) {
      assert.equal({ key: (err as InputError).key, ...(err as InputError).params }, { key: 'error.locked', pid: process.ppid, file: path.join(state, 'lock') });
    }
  }
  assert.is((fs.statSync(state).mode & 0o777).toString(8), '755');
  fs.rmSync(path.join(state, 'lock'));
  const l = acquireLock(state);
  assert.is((fs.statSync(path.join(state, 'lock')).mode & 0o777).toString(8), '600');
  l.release();
  // Anything but "the lock exists" while making it is not ours to handle: it is thrown as it is.
  fs.mkdirSync(path.join(state, `.lock.xnw-${process.pid}`));
  assert.throws(() => acquireLock(state), (e: unknown) => (e as NodeJS.ErrnoException).code === 'EISDIR');
});

test('the lock: a run that keeps losing the race for a dead owner\'s lock refuses after two tries (PID unknown), reporting each dead owner', () => {
  const state = path.join(tempDir(), 'state');
  const file = path.join(state, 'lock');
  // A second run of the wizard, staged: each time this run is about to make its lock, the other one
  // has just put a lock there whose owner then died (a crash loop); this run sees it, reports it, removes it.
  const link = fs.linkSync;
  const owners = [999991, 999992, 999993];
  let raced = 0;
  fs.linkSync = ((from: fs.PathLike, to: fs.PathLike) => {
    fs.writeFileSync(file, `${owners[raced++]}\n`);
    return link(from, to);
  }) as typeof fs.linkSync;
  const stale: number[] = [];
  try {
    acquireLock(state, (pid) => stale.push(pid));
    assert.unreachable('refused');
  } catch (err) {
    assert.equal({ key: (err as InputError).key, ...(err as InputError).params }, { key: 'error.locked', pid: '?', file });
  } finally {
    fs.linkSync = link;
  }
  assert.equal(stale, [999991, 999992], 'two tries, each dead owner named');
  assert.not.ok(fs.existsSync(file), 'no lock taken by the run that lost');
  acquireLock(state).release();
});

test.run();
