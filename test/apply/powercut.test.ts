// After a power cut PIDs start over: the lock and the unfinished journal of a run from an earlier
// boot are stale even when an unrelated process holds their PID now (issue 18 part 2; the lab's
// power-cut runs prove the whole path on the real dom0); and the xenstore keys of domains gone
// since are not written back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../_helpers/roots.js';
import { acquireLock, refuseIfLocked } from '../../src/exec/lock.js';
import { abandoned } from '../../src/exec/recover.js';
import { bootStartMs, currentBootId, fromEarlierBoot } from '../../src/system/processAlive.js';
import type { RunState } from '../../src/exec/journal.js';
import { rollbackRun } from '../../src/exec/rollback.js';
import { ApplySession } from '../../src/exec/apply.js';
import { xenstoreBridgeSteps } from '../../src/live/xenstoreBridge.js';
import { applyAll, command, dom0, edit, planOf, recorder } from '../_helpers/plans.js';
import { classified, endsWithReboot, netInfoActive, virshNetNoop } from '../../src/exec/reboot.js';
import type { CommandRunner } from '../../src/system/commands.js';
import type { Step } from '../../src/model/plan.js';

const hasProc = currentBootId() !== null && bootStartMs() !== null;

test('a boot id other than this boot\'s is an earlier boot; none recorded cannot tell', () => {
  if (!hasProc) return void assert.is(fromEarlierBoot('x'), false);
  assert.is(fromEarlierBoot(currentBootId()), false);
  assert.is(fromEarlierBoot('00000000-0000-0000-0000-000000000000'), true);
  assert.is(fromEarlierBoot(null), false);
  assert.is(fromEarlierBoot(undefined), false);
  assert.ok(bootStartMs()! <= Date.now());
});

test('an unfinished run whose PID is alive is abandoned only when it started in an earlier boot', () => {
  const state = (over: Partial<RunState>): RunState => ({
    id: 'r1', recipe: 'single-bridge', root: '/', live: true, pid: process.ppid, started: new Date().toISOString(),
    finished: null, status: 'applying', done: [], error: null, ...over,
  });
  assert.is(abandoned(state({ bootId: currentBootId() })), false, 'alive, this boot: its owner goes on');
  assert.is(abandoned(state({})), false, 'an older journal without a boot id: the PID decides');
  assert.is(abandoned(state({ pid: 999999 })), true, 'dead owner');
  assert.is(abandoned(state({ status: 'applied' as RunState['status'], pid: 999999 })), false, 'finished runs are not recovered');
  // Killed while waiting for the confirmation or while rolling back: unfinished too.
  for (const status of ['confirming', 'rolling-back'] as const) assert.is(abandoned(state({ status, pid: 999999 })), true, status);
  for (const status of ['rolled-back', 'rollback-failed', 'files-restored', 'failed'] as const) assert.is(abandoned(state({ status, pid: 999999 })), false, status);
  // The wizard is gone but its watchdog still waits for the confirmation: the watchdog owns the run.
  assert.is(abandoned(state({ status: 'confirming', pid: 999999, watchdogPid: process.ppid })), false, 'the watchdog is alive');
  if (hasProc) {
    assert.is(abandoned(state({ bootId: '00000000-0000-0000-0000-000000000000' })), true, 'earlier boot: its PID is someone else now');
    assert.is(abandoned(state({ bootId: '00000000-0000-0000-0000-000000000000', status: 'confirming', watchdogPid: process.ppid })), true);
  }
});

test('a lock taken before this boot is stale although its PID runs again', () => {
  const state = path.join(tempDir(), 'state');
  fs.mkdirSync(state, { mode: 0o700 });
  const file = path.join(state, 'lock');
  fs.writeFileSync(file, `${process.ppid}\n`);
  assert.throws(() => refuseIfLocked(state), 'this boot and alive: locked');
  if (!hasProc) return;
  const before = new Date(bootStartMs()! - 3600_000);
  fs.utimesSync(file, before, before);
  refuseIfLocked(state);
  const stale: number[] = [];
  const lock = acquireLock(state, (pid) => stale.push(pid));
  assert.equal(stale, [process.ppid]);
  assert.is(fs.readFileSync(file, 'utf8'), `${process.pid}\n`);
  lock.release();
});


test('rollback leaves out the xenstore key of a vif whose domain is gone (no stray entry), writes the others back', async () => {
  const { fs: fs_ } = dom0();
  const key = (domid: number) => `/local/domain/0/backend/vif/${domid}/0/bridge`;
  const plan = planOf([1, 2].map((d) => xenstoreBridgeSteps([{ domid: d, devid: 0, vif: `vif${d}.0`, current: 'virbr0' }], 'xenbr0')[0]!));
  const session = await applyAll(plan, fs_, recorder());
  // dom 1 rebooted since (a new domid): its backend directory is gone.
  const undo = recorder('xenstore-exists /local/domain/0/backend/vif/1/0');
  const events: string[] = [];
  const report = await rollbackRun(session.journal, fs_, undo, (e) => events.push(`${e.kind} ${e.what}`));
  assert.equal(report.errors, []);
  assert.ok(events.includes('gone /local/domain/0/backend/vif/1/0'));
  assert.not.ok(undo.calls.includes(`xenstore-write ${key(1)} virbr0`));
  assert.ok(undo.calls.includes(`xenstore-write ${key(2)} virbr0`));
});

const EARLIER_BOOT = '00000000-0000-0000-0000-000000000000';
const batch = command(['ip', '-batch', '-'], 'before-edit', { input: 'link add name xenbr0 type bridge\n', undo: ['ip', '-batch', '-'], undoInput: 'link del xenbr0\n' });
const rule = command(['iptables', '-I', 'FORWARD', '1', '-j', 'ACCEPT'], 'after-edit', { undo: ['iptables', '-D', 'FORWARD', '-j', 'ACCEPT'] });
const initLink = command(['chkconfig', 'xendomains', 'on'], 'after-edit', { undo: ['chkconfig', 'xendomains', 'off'] });

/** A run cut short after `cut` steps, as the power cut leaves its journal, then "rebooted". */
async function cutRun(steps: Step[], cut: number, bootId: string | null) {
  const { fs: fs_ } = dom0();
  const plan = planOf(steps);
  const session = ApplySession.begin(plan, { fs: fs_, runner: recorder() });
  for (const [i, step] of plan.steps.slice(0, cut).entries()) await session.runStep(step, i);
  session.journal.state.bootId = bootId;
  return { fs: fs_, journal: session.journal };
}

test('after a reboot that came before any file was written, the live changes are gone with it: not undone, the stored ones are', async () => {
  if (!hasProc) return;
  const fileStep = edit('/etc/network/interfaces', 'auto eth0\niface eth0 inet dhcp\n', 'auto xenbr0\n');
  const { fs: fs_, journal } = await cutRun([batch, rule, initLink, fileStep], 3, EARLIER_BOOT);
  const undo = recorder();
  const events: string[] = [];
  const report = await rollbackRun(journal, fs_, undo, (e) => events.push(`${e.kind} ${e.what}`));
  assert.equal(report.errors, []);
  assert.equal(report.afterReboot, { filesChanged: false });
  assert.equal(undo.calls, ['chkconfig xendomains off'], 'only the init link is undone');
  assert.ok(events.includes('reboot ip -batch -') && events.includes('reboot iptables -I FORWARD 1 -j ACCEPT'), events.join('\n'));
  assert.is(journal.state.status, 'rolled-back');
});

test('after a reboot that came after a file was written, the boot brought that file up: every undo runs, as in the same boot', async () => {
  if (!hasProc) return;
  const fileStep = edit('/etc/network/interfaces', 'auto eth0\niface eth0 inet dhcp\n', 'auto xenbr0\n');
  const { fs: fs_, journal } = await cutRun([batch, fileStep, rule], 2, EARLIER_BOOT);
  const undo = recorder();
  const report = await rollbackRun(journal, fs_, undo);
  assert.equal(report.afterReboot, { filesChanged: true });
  assert.ok(undo.calls.includes('ip -batch -'), undo.calls.join('\n'));
  assert.is(fs.readFileSync(fs_.resolve('/etc/network/interfaces'), 'utf8'), 'auto eth0\niface eth0 inet dhcp\n');
});

test('in the same boot nothing is skipped (the run\'s own boot id)', async () => {
  const { fs: fs_, journal } = await cutRun([batch, rule], 2, currentBootId());
  const undo = recorder();
  const report = await rollbackRun(journal, fs_, undo);
  assert.is(report.afterReboot, null);
  assert.equal(undo.calls, ['iptables -D FORWARD -j ACCEPT', 'ip -json link show', 'ip -batch -']);
});

test('virsh net-start / net-destroy on rollback: skipped when libvirt says the network is already so (a boot autostarted it), run otherwise', async () => {
  const destroy = command(['virsh', 'net-destroy', 'default'], 'before-edit', { undo: ['virsh', 'net-start', 'default'] });
  const start = command(['virsh', 'net-start', 'lan'], 'after-edit', { undo: ['virsh', 'net-destroy', 'lan'] });
  for (const [active, expect] of [['yes', []], ['no', ['virsh net-destroy lan', 'virsh net-start default']]] as const) {
    const { fs: fs_, journal } = await cutRun([destroy, start], 2, currentBootId());
    const calls: string[] = [];
    const runner: CommandRunner = {
      live: true,
      async run(argv) {
        calls.push(argv.join(' '));
        const info = argv[1] === 'net-info';
        // default: active or not as the case says; lan: the opposite (never already as wanted when 'no').
        const isActive = argv[2] === 'default' ? active === 'yes' : active !== 'yes';
        return { exitCode: 0, stdout: info ? `Name:           ${argv[2]}\nActive:         ${isActive ? 'yes' : 'no'}\n` : '', stderr: '' };
      },
    };
    const events: string[] = [];
    const report = await rollbackRun(journal, fs_, runner, (e) => events.push(`${e.kind} ${e.what}`));
    assert.equal(report.errors, []);
    assert.equal(calls.filter((c) => !c.includes('net-info')), expect, active);
    if (active === 'yes') assert.equal(events.filter((e) => e.startsWith('already')), ['already virsh net-destroy lan', 'already virsh net-start default']);
  }
  assert.is(netInfoActive('Active:         yes\n'), true);
  assert.is(netInfoActive('Active: no'), false);
  assert.is(netInfoActive('error: network not found'), null);
});

test('the reboot rules, command by command: the running state ends with the boot, what the next boot reads does not', () => {
  const ends = [
    'ip -batch -', 'ifup xenbr0', 'ifdown eth0', 'brctl addbr xenbr0', 'ethtool -K eth0 tx off', 'iptables -I FORWARD 1 -j ACCEPT',
    'ip6tables -D FORWARD -j ACCEPT', 'sysctl -w net.ipv4.ip_forward=1', 'xenstore-write /local/domain/0/backend/vif/1/0/bridge xenbr0',
    'xl network-attach guest bridge=xenbr0', 'service xend restart', 'networkctl reload', 'netplan apply', 'nmcli connection up br0',
    'wicked ifreload all', 'virsh net-start default', 'virsh net-destroy default', 'virsh start guest', 'virsh destroy guest',
    'virsh shutdown guest', 'systemctl start xendomains', 'systemctl stop xend', 'systemctl restart networking', 'systemctl reload libvirtd',
    'systemctl try-restart xend', 'systemctl reload-or-restart xend', '/etc/xen/scripts/network-bridge start netdev=eth0',
    '/etc/init.d/xend stop', '/etc/init.d/network restart', '/etc/init.d/networking reload', '/usr/sbin/ip link set eth0 up',
    '/usr/bin/virsh net-start default',
  ];
  const stored = [
    'chkconfig xendomains on', 'update-rc.d xendomains defaults', 'apt-get install -y bridge-utils', 'update-initramfs -u',
    'virsh net-define /etc/libvirt/qemu/networks/lan.xml', 'virsh net-autostart default --disable', 'virsh define guest.xml',
    'virsh net-undefine lan', 'systemctl enable xendomains', 'systemctl disable NetworkManager', 'systemctl mask wicked',
    '/bin/systemctl enable xendomains', '/usr/sbin/chkconfig xend off', '/usr/sbin/update-rc.d xend start',
  ];
  for (const line of ends) assert.ok(endsWithReboot(line.split(' ')) && classified(line.split(' ')), line);
  for (const line of stored) assert.ok(!endsWithReboot(line.split(' ')) && classified(line.split(' ')), line);
  // Neither: a command of no list, a script with a verb that changes nothing, a bare script name.
  for (const line of ['frobnicate now', '/etc/init.d/xend status', 'network-bridge start', '', 'virsh', 'systemctl']) {
    assert.is(endsWithReboot(line ? line.split(' ') : []), false, line);
  }
  for (const line of ['frobnicate now', '/etc/init.d/xend status', 'network-bridge start']) assert.is(classified(line.split(' ')), false, line);
  assert.is(classified([]), false);
});

test('virsh net-start / net-destroy are no-ops in the state net-info reports; other commands are never skipped', () => {
  assert.equal(virshNetNoop(['virsh', 'net-start', 'lan']), { name: 'lan', active: true });
  assert.equal(virshNetNoop(['virsh', 'net-destroy', 'default']), { name: 'default', active: false });
  for (const argv of [['virsh', 'net-start'], ['virsh', 'net-start', 'lan', '--x'], ['virsh', 'net-info', 'lan'], ['virsh', 'start', 'lan'], ['/usr/bin/virsh', 'net-start', 'lan'], ['sudo', 'net-start', 'lan']]) {
    assert.is(virshNetNoop(argv), null, argv.join(' '));
  }
  assert.is(netInfoActive('Name:           lan\nUUID:           x\nActive:         yes  \nPersistent:     yes\n'), true);
  assert.is(netInfoActive('Name: lan\nActive:no\n'), false);
  // Only the line that is `Active:` itself counts, not one that merely ends so.
  for (const out of ['Active: maybe', 'Inactive: yes', 'Was Active: yes', 'Active: yesterday', 'Persistent: yes', '']) assert.is(netInfoActive(out), null, out);
});

test.run();
