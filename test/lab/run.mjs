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
import { runVm } from './vm.mjs';

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
cpSync(path.join(here, 'xen/proof.sh'), path.join(pay, 'run.sh'));
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
const kb = spawnSync('bash', [path.join(here, 'kernel/build.sh'), art], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (kb.status === 0) {
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

// The xen VM: Xen 4.17 + dom0 from the cached images (dom0's disk in snapshot mode, so the image
// stays pristine) + the payload disk.
t = Date.now();
const f = (n) => path.join(art, n);
const result = await runVm({
  name: 'xen',
  args: ['-cpu', 'qemu64,+npt', '-m', '3072', '-smp', '2', '-kernel', f('xen-4.17'),
    '-append', 'console=com1 com1=115200,8n1 dom0_mem=1280M,max:1280M dom0_max_vcpus=2 noreboot',
    // Inside -initrd a comma separates modules (a comma inside an argument would be doubled).
    '-initrd', `${f('vmlinuz')} console=hvc0 panic=-1 quiet,${f('dom0-initrd.gz')}`,
    '-drive', `file=${f('dom0.img')},format=raw,if=virtio,snapshot=on`,
    '-drive', `file=${img},format=raw,if=virtio`],
  timeoutS: Number(process.env.LAB_TIMEOUT ?? 1500),
  log: path.join(work, 'xen-console.log'),
  done: /LAB-DOM0: run\.sh exit/,
});
for (const k of Object.keys(counts)) counts[k] += result[k];
console.log(`lab: xen VM booted, proved and powered off in ${secs(t)} s`);
if (result.failed > 0 || process.env.LAB_KEEP_LOG) keepLog('xen-console.log');
summary();

function keepLog(name) {
  const keep = path.join(repo, '.cache/lab', `last-${name}`);
  cpSync(path.join(work, name), keep);
  console.log(`lab: full console log kept in ${keep}`);
}
