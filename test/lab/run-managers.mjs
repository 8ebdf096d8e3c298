#!/usr/bin/env node
// `npm run lab:managers`: per network manager Debian packages, a Debian 12 VM that boots systemd
// (build-managers.sh) with the admin's original config for that manager; boot 1 applies a recipe
// (files only), boot 2 must bring the new network up from the persisted files alone and rolls
// back, boot 3 must bring the original network back (managers/run.sh). Offline: the VM's NICs are
// virtio NICs on one qemu hub with no host port; the last one is the LAN peer (lab-hardware).
//   LAB_MANAGERS  comma list of runs, each MANAGER or MANAGER:bond (default: all of ALL below)
// Prints every check, a table run × boot, and
//   LAB SUMMARY: N passed, N failed, N skipped (T s)
// A run that cannot happen prints "!!! LAB SKIPPED: <why>". Exit 0 only when every check passed.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runVm, state as vmState } from './vm.mjs';
import { copyApp, labRun, mainImages, makeImage } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const secs = (from) => ((Date.now() - from) / 1000).toFixed(1);
const { counts, summary, skip } = labRun();
const ALL = ['networkd', 'netplan', 'networkmanager', 'ifupdown', 'ifupdown-ng', 'networkd:bond', 'networkmanager:bond'];
const last = (out) => out.trim().split('\n').pop();

const runs = (process.env.LAB_MANAGERS ?? ALL.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
for (const r of runs) if (!ALL.includes(r)) skip(`LAB_MANAGERS: ${r} is not one of ${ALL.join(', ')}`);
let t = Date.now();
const art = mainImages(here, repo, skip);
const mb = spawnSync('bash', [path.join(here, 'build-managers.sh'), art], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (mb.status !== 0) skip(`manager images build failed (test/lab/build-managers.sh exit ${mb.status})`);
const mArt = last(mb.stdout);
console.log(`lab managers: images ready in ${secs(t)} s (${mArt})`);

t = Date.now();
const work = mkdtempSync(path.join(tmpdir(), 'xnw-labmgr-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const pay = path.join(work, 'payload');
copyApp(repo, pay);
cpSync(path.join(here, 'managers/run.sh'), path.join(pay, 'run.sh'));
const img = path.join(work, 'payload.img');
if (!makeImage(pay, img)) skip('mkfs.ext4 of the payload disk failed');
console.log(`lab managers: payload disk in ${secs(t)} s`);

const overlay = path.join(work, 'root.qcow2');
const bootTimeout = Number(process.env.LAB_BOOT_TIMEOUT ?? 600);
/** The VM's NICs: eth0… of the host (2 more for the bond runs), then the LAN peer's (MAC …:fe). */
function nics(bond) {
  const args = [];
  const macs = [...Array(bond ? 3 : 1).keys()].map((i) => `52:54:00:00:00:0${i + 1}`).concat('52:54:00:00:00:fe');
  macs.forEach((mac, i) => args.push('-netdev', `hubport,id=n${i},hubid=0`, '-device', `virtio-net-pci,netdev=n${i},mac=${mac},romfile=`));
  return args;
}
const table = [];
for (const run of runs) {
  if (vmState.interrupted) break;
  const [manager, variant] = run.split(':');
  const recipe = variant === 'bond' ? 'bond-bridge' : 'single-bridge';
  rmSync(overlay, { force: true });
  const ov = spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', path.join(mArt, `${manager}.img`), overlay], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (ov.status !== 0) skip('qemu-img could not create the root overlay');
  const row = { run: `${manager} ${recipe}`, boots: [] };
  for (const n of [1, 2, 3]) {
    const log = `${manager}-${recipe}-boot${n}.log`;
    const tb = Date.now();
    const r = await runVm({
      name: `${run} boot ${n}`,
      args: ['-cpu', 'qemu64', '-m', '1024', '-smp', '2', '-kernel', path.join(art, 'vmlinuz'), '-initrd', path.join(mArt, 'initrd.gz'),
        '-append', `console=ttyS0 net.ifnames=0 panic=-1 quiet lab_mgr=${manager} lab_recipe=${recipe}`,
        '-drive', `file=${overlay},format=qcow2,if=virtio`, '-drive', `file=${img},format=raw,if=virtio`, ...nics(variant === 'bond')],
      timeoutS: bootTimeout,
      log: path.join(work, log),
      done: /LAB-MGR: run\.sh exit/,
    });
    for (const k of Object.keys(counts)) counts[k] += r[k];
    const up = r.info.map((l) => /_up_at_uptime_s ([\d.]+)/.exec(l)?.[1]).find(Boolean);
    const ok = r.finished && r.failed === 0 && r.passed > 0;
    row.boots.push(`${ok ? 'pass' : 'FAIL'}${up ? `, up at ${Number(up).toFixed(0)} s` : ''}, boot ${secs(tb)} s`);
    console.log(`lab managers: ${run} boot ${n} ${ok ? 'passed' : 'failed'} in ${secs(tb)} s`);
    if (r.failed > 0 || process.env.LAB_KEEP_LOG) {
      const keep = path.join(repo, '.cache/lab-managers', `last-${log}`);
      cpSync(path.join(work, log), keep);
      console.log(`lab managers: full console log kept in ${keep}`);
    }
    if (!r.finished || vmState.interrupted) break;
  }
  table.push(row);
}
console.log('\nlab managers: uptime at which the network was up (seen by the LAN peer) and whole boot, per boot\n');
console.log('| manager, recipe | boot 1: original config, apply | boot 2: after apply, rollback | boot 3: after rollback |\n| --- | --- | --- | --- |');
for (const row of table) console.log(`| ${row.run} | ${[0, 1, 2].map((i) => row.boots[i] ?? 'not run').join(' | ')} |`);
summary();
