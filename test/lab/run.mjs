#!/usr/bin/env node
// `npm run lab`: build (or reuse) the lab's images from Debian packages, boot Xen 4.17 in qemu (TCG,
// no host network), run the single-bridge proof inside dom0, and print every check and a summary:
//   LAB SUMMARY: N passed, N failed, N skipped
// A lab that cannot run prints "!!! LAB SKIPPED: <why>" and counts as skipped, never as passed.
// Exit 0 only when every check ran and passed.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runVm, state as vmState } from './vm.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const started = Date.now();
const secs = (from) => ((Date.now() - from) / 1000).toFixed(1);
const counts = { passed: 0, failed: 0, skipped: 0 };

function summary(code) {
  console.log(`\nLAB SUMMARY: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${secs(started)} s)`);
  if (process.env.LAB_SUMMARY_FILE) writeFileSync(process.env.LAB_SUMMARY_FILE, JSON.stringify(counts));
  process.exit(code ?? (counts.failed === 0 && counts.skipped === 0 && counts.passed > 0 ? 0 : 1));
}
function skip(why) {
  console.log(`!!! LAB SKIPPED: ${why}`);
  counts.skipped += 1;
  counts.skips = [why]; // npm test lists the reason (and fails on it under CI=true)
  summary(1);
}

if (process.getuid?.() !== 0) skip('needs root (installs qemu, builds a rootfs with mmdebstrap)');
if (!existsSync(path.join(repo, 'dist/src'))) skip('the project is not built (npm run build)');
const setup = spawnSync('bash', [path.join(here, 'setup.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
if (setup.status !== 0) skip(`host packages could not be installed (test/lab/setup.sh exit ${setup.status})`);

let t = Date.now();
const build = spawnSync('bash', [path.join(here, 'build.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (build.status !== 0) skip(`image build failed (test/lab/build.sh exit ${build.status})`);
const art = build.stdout.trim().split('\n').pop();
console.log(`lab: images ready in ${secs(t)} s (${art})`);

// The per-run payload disk: node, the built project with its production dependencies, the guest
// kernel and initramfs, and the proof itself as /lab/run.sh.
t = Date.now();
const work = mkdtempSync(path.join(tmpdir(), 'xnw-lab-'));
const cleanup = () => rmSync(work, { recursive: true, force: true });
process.on('exit', cleanup);
const pay = path.join(work, 'payload');
mkdirSync(path.join(pay, 'bin'), { recursive: true });
cpSync(process.execPath, path.join(pay, 'bin/node'));
for (const p of ['bin', 'dist', 'locales', 'package.json']) cpSync(path.join(repo, p), path.join(pay, 'app', p), { recursive: true });
const prod = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: repo, encoding: 'utf8' }).stdout
  .split('\n').filter((p) => p.startsWith(path.join(repo, 'node_modules')));
for (const p of prod) cpSync(p, path.join(pay, 'app', path.relative(repo, p)), { recursive: true });
mkdirSync(path.join(pay, 'guest'));
cpSync(path.join(art, 'vmlinuz'), path.join(pay, 'guest/vmlinuz'));
cpSync(path.join(art, 'guest-initrd.gz'), path.join(pay, 'guest/initrd.gz'));
// The xen VM boots several times from the same disks: run.sh counts the boots on the payload
// disk and runs bootN.sh (boot 1 = the proof); dom0's init runs hardware.sh and libvirtd.sh.
for (const f of ['run.sh', 'lib.sh', 'hardware.sh', 'libvirtd.sh', 'boot2.sh', 'boot3.sh', 'cut.sh', 'aftercut.sh']) cpSync(path.join(here, 'xen', f), path.join(pay, f));
cpSync(path.join(here, 'xen/proof.sh'), path.join(pay, 'boot1.sh'));
// g2 is a PVH guest only on request (LAB_PVH=1): under TCG, Xen's nested HAP triple-faulted the
// PVH guest in 2 of 4 runs here, an emulator limit that would make every CI run a coin toss.
if (process.env.LAB_PVH === '1') writeFileSync(path.join(pay, 'pvh'), '1\n');
cpSync(path.join(here, 'xen/outage.mjs'), path.join(pay, 'outage.mjs'));
const img = path.join(work, 'payload.img');
const mk = spawnSync('mkfs.ext4', ['-q', '-F', '-d', pay, img, '512M'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (mk.status !== 0) skip('mkfs.ext4 of the payload disk failed');
console.log(`lab: payload disk in ${secs(t)} s`);

// The kernel VM: the Debian kernel alone with busybox + iproute2 and the payloads appended.
t = Date.now();
const kb = process.env.LAB_PROOF === '0' || process.env.LAB_KERNEL === '0' ? null : spawnSync('bash', [path.join(here, 'kernel/build.sh'), art], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (kb === null) {
  console.log('lab: no kernel VM (LAB_PROOF=0 or LAB_KERNEL=0)');
} else if (kb.status === 0) {
  const kdir = path.join(work, 'kpayload');
  mkdirSync(path.join(kdir, 'payloads'), { recursive: true });
  cpSync(path.join(here, 'kernel/payloads'), path.join(kdir, 'payloads'), { recursive: true });
  const kinitrd = path.join(work, 'kernel-initrd.gz');
  const cpio = spawnSync('sh', ['-c', 'cd "$1" && find payloads | cpio -o -H newc --quiet | gzip -1', 'sh', kdir], { encoding: 'buffer', maxBuffer: 1 << 26 });
  writeFileSync(kinitrd, Buffer.concat([readFileSync(kb.stdout.trim().split('\n').pop()), cpio.stdout]));
  const k = await runVm({
    name: 'kernel',
    args: ['-cpu', 'qemu64', '-m', '512', '-smp', '1', '-kernel', path.join(art, 'vmlinuz'), '-initrd', kinitrd,
      '-append', 'console=ttyS0 panic=-1 quiet'],
    timeoutS: Number(process.env.LAB_KERNEL_TIMEOUT ?? 300),
    log: path.join(work, 'kernel-console.log'),
    done: /LAB-KERNEL done/,
  });
  for (const k2 of Object.keys(counts)) counts[k2] += k[k2];
  console.log(`lab: kernel VM booted, ran ${readdirSync(path.join(here, 'kernel/payloads')).length} payloads and powered off in ${secs(t)} s`);
  if (k.failed > 0) keepLog('kernel-console.log');
} else {
  console.log(`LAB-FAIL [kernel] base initramfs built (test/lab/kernel/build.sh exit ${kb.status})`);
  counts.failed += 1;
}

// The xen VM: Xen 4.17 + dom0 from the cached image through a qcow2 overlay of the run's own (the
// cached image stays pristine; the overlay keeps what a boot wrote for the next one and goes with
// the run's temp directory) + the payload disk.
const f = (n) => path.join(art, n);
const overlay = path.join(work, 'dom0.qcow2');
function freshOverlay() {
  rmSync(overlay, { force: true });
  const ov = spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', f('dom0.img'), overlay], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (ov.status !== 0) skip('qemu-img could not create the dom0 overlay');
}
const xenArgs = (cmdline = '') => ['-cpu', 'qemu64,+npt', '-m', '3072', '-smp', '2', '-kernel', f('xen-4.17'),
  '-append', 'console=com1 com1=115200,8n1 dom0_mem=1280M,max:1280M dom0_max_vcpus=2 noreboot',
  // Inside -initrd a comma separates modules (a comma inside an argument would be doubled).
  '-initrd', `${f('vmlinuz')} console=hvc0 panic=-1 quiet${cmdline},${f('dom0-initrd.gz')}`,
  '-drive', `file=${overlay},format=qcow2,if=virtio`,
  '-drive', `file=${img},format=raw,if=virtio`];
const endLine = /LAB-DOM0: run\.sh exit/;

/** Boots the xen VM once; false when it did not reach its end (the boots after it are pointless). */
async function boot(name, timeoutS, what, log, extra = {}) {
  t = Date.now();
  const result = await runVm({ name, args: xenArgs(extra.cmdline), timeoutS, log: path.join(work, log), done: endLine, killOn: extra.killOn });
  for (const k of Object.keys(counts)) counts[k] += result[k];
  console.log(`lab: ${name} VM ${result.killedAt ? 'killed (power cut, no shutdown)' : what} after ${secs(t)} s`);
  if (result.failed > 0 || process.env.LAB_KEEP_LOG) keepLog(log);
  return { ok: result.finished && !vmState.interrupted, info: result.info };
}

// The proof and the boots after it (LAB_PROOF=0 leaves them out: `npm run lab:powercut`). Boot 1:
// the proof, then apply again and power off; boot 2: the network and guests from the persisted
// files, rollback, power off; boot 3: the old network from the restored files.
const bootTimeout = Number(process.env.LAB_BOOT_TIMEOUT ?? 900);
// LAB_QUICK=1 (a loaded host): boot 1 goes from apply straight to one lifecycle round on xenbr0,
// boot 2 only proves the network and guests from the persisted files; no boot 3. LAB_BOOT2=0: boot 1
// alone (a loaded host, one lifecycle question at a time).
const quick = (process.env.LAB_QUICK === '1' ? ' lab_quick=1' : '') + (process.env.LAB_LIFECYCLE === '1' ? ' lab_lifecycle=1' : '');
if (process.env.LAB_PROOF !== '0') {
  freshOverlay();
  // The lifecycle rounds (LAB_LIFECYCLE=1) add two rounds of four guest restarts to boot 1: ~1,650 s
  // with three other agents on the host, against ~1,100 s for the plain boot 1.
  const proofTimeout = Number(process.env.LAB_TIMEOUT ?? (process.env.LAB_LIFECYCLE === '1' ? 2400 : 1500));
  (await boot('xen', proofTimeout, 'booted, proved and powered off', 'xen-console.log', { cmdline: quick })).ok
    && process.env.LAB_BOOT2 !== '0'
    && (await boot('xen boot 2', bootTimeout, 'booted from the persisted files and powered off', 'xen-console-boot2.log', { cmdline: quick })).ok
    && !quick && (await boot('xen boot 3', bootTimeout, 'booted from the restored files and powered off', 'xen-console-boot3.log'));
}

// Power cut mid-apply (issue 18 part 2): per point a fresh overlay; boot 1 sets the host up, runs
// `apply` to the point and prints LAB-POWERCUT, on which qemu is killed (SIGKILL, no shutdown);
// boot 2 boots what the disk held and runs the wizard again. LAB_POWERCUT: a comma list of points,
// "all", or "none"; `npm test` runs one (between-files), `npm run lab:powercut` all of them.
const allPoints = ['before-change', 'ip-batch', 'before-first-file', 'between-files', 'confirm'];
const want = process.env.LAB_POWERCUT ?? 'between-files';
const points = want === 'all' ? allPoints : want === 'none' ? [] : want.split(',');
const table = [];
for (const point of points) {
  if (!allPoints.includes(point)) { console.log(`LAB-FAIL [powercut] ${point} is a kill point (${allPoints.join(', ')})`); counts.failed += 1; continue; }
  if (vmState.interrupted) break;
  freshOverlay();
  const cut = await boot(`xen power cut ${point}`, bootTimeout, 'ran to its end without being cut', `xen-console-cut-${point}.log`, { cmdline: ` lab_cut=${point}`, killOn: /LAB-POWERCUT / });
  const after = cut.ok ? await boot(`xen after cut ${point}`, bootTimeout, 'booted after the power cut, ran the wizard again and powered off', `xen-console-aftercut-${point}.log`, { cmdline: ` lab_cut=${point}` }) : null;
  const row = after?.info.find((l) => l.includes('powercut_outcome'));
  table.push(row ? row.replace(/^.*powercut_outcome /, '') : `| ${point} | ${cut.ok ? 'no outcome line after the boot' : 'the cut was not reached'} | |`);
}
if (table.length) {
  console.log('\nlab: power cut mid-apply (qemu killed, then booted again from the same disk)\n');
  console.log('| kill point | boot after the cut | the next wizard run |\n| --- | --- | --- |');
  for (const row of table) console.log(row.replace(/\| boot: /, '| ').replace(/ \| next run: /, ' | '));
}
summary();

function keepLog(name) {
  const keep = path.join(repo, '.cache/lab', `last-${name}`);
  cpSync(path.join(work, name), keep);
  console.log(`lab: full console log kept in ${keep}`);
}
