#!/usr/bin/env node
// `npm run lab:libvirt`: the libvirt variant of the xen VM. Builds (or reuses) the main lab images
// and the libvirt dom0 disk (build-libvirt.sh), boots Xen 4.17 with a CPU model libvirt's libxl
// driver can decode (see test/lab/README.md, "libvirt's Xen driver under TCG"), and runs
// xen/libvirt.sh in dom0: a guest defined and started through libvirt on network='default' is
// moved by single-bridge and rolled back while it runs (libvirt's live XML following both ways),
// moved again, restarted through libvirt, and rolled back. Prints the checks and
//   LAB SUMMARY: N passed, N failed, N skipped
// A run that cannot happen prints "!!! LAB SKIPPED: <why>". Exit 0 only when every check passed.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runVm } from './vm.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const started = Date.now();
const secs = (from) => ((Date.now() - from) / 1000).toFixed(1);
const counts = { passed: 0, failed: 0, skipped: 0 };
// An Intel model TCG implements in full. Under qemu64 (AMD) Xen clears SEP from the host features
// it reports, TCG has no VME, and every host model of libvirt 9.0's cpu_map needs one of the two:
// libvirt's libxl driver then fails with "Cannot find suitable CPU model for given data" (README).
// No VMX under TCG: this VM runs PV guests only (PVH needs the main lab's qemu64,+npt).
const LIBVIRT_LAB_CPU = process.env.LAB_LIBVIRT_CPU ?? 'Nehalem';

function summary(code) {
  console.log(`\nLAB SUMMARY: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${secs(started)} s)`);
  if (process.env.LAB_SUMMARY_FILE) writeFileSync(process.env.LAB_SUMMARY_FILE, JSON.stringify(counts));
  process.exit(code ?? (counts.failed === 0 && counts.skipped === 0 && counts.passed > 0 ? 0 : 1));
}
function skip(why) {
  console.log(`!!! LAB SKIPPED: ${why}`);
  counts.skipped += 1;
  counts.skips = [why];
  summary(1);
}
const last = (out) => out.trim().split('\n').pop();

if (process.getuid?.() !== 0) skip('needs root (installs qemu, builds a rootfs with mmdebstrap)');
if (!existsSync(path.join(repo, 'dist/src'))) skip('the project is not built (npm run build)');
const setup = spawnSync('bash', [path.join(here, 'setup.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
if (setup.status !== 0) skip(`host packages could not be installed (test/lab/setup.sh exit ${setup.status})`);

let t = Date.now();
const build = spawnSync('bash', [path.join(here, 'build.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (build.status !== 0) skip(`image build failed (test/lab/build.sh exit ${build.status})`);
const art = last(build.stdout);
const lvBuild = spawnSync('bash', [path.join(here, 'build-libvirt.sh'), art], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (lvBuild.status !== 0) skip(`libvirt image build failed (test/lab/build-libvirt.sh exit ${lvBuild.status})`);
const lvArt = last(lvBuild.stdout);
console.log(`lab libvirt: images ready in ${secs(t)} s (${lvArt})`);

t = Date.now();
const work = mkdtempSync(path.join(tmpdir(), 'xnw-lablv-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const pay = path.join(work, 'payload');
mkdirSync(path.join(pay, 'bin'), { recursive: true });
cpSync(process.execPath, path.join(pay, 'bin/node'));
for (const p of ['bin', 'dist', 'locales', 'package.json']) cpSync(path.join(repo, p), path.join(pay, 'app', p), { recursive: true });
const prod = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: repo, encoding: 'utf8' }).stdout
  .split('\n').filter((p) => p.startsWith(path.join(repo, 'node_modules')));
for (const p of prod) cpSync(p, path.join(pay, 'app', path.relative(repo, p)), { recursive: true });
mkdirSync(path.join(pay, 'guest'));
cpSync(path.join(art, 'vmlinuz'), path.join(pay, 'guest/vmlinuz'));
// `virsh shutdown` asks the guest's kernel, which runs /sbin/poweroff: the guest initramfs has no
// such program, so a second cpio archive appended to it adds one (busybox's, forced).
const extra = path.join(work, 'guest-extra');
mkdirSync(path.join(extra, 'sbin'), { recursive: true });
writeFileSync(path.join(extra, 'sbin/poweroff'), '#!/bin/sh\nexec /bin/busybox poweroff -f\n', { mode: 0o755 });
const cpio = spawnSync('sh', ['-c', 'cd "$1" && find sbin | cpio -o -H newc --quiet | gzip -1', 'sh', extra], { encoding: 'buffer', maxBuffer: 1 << 26 });
writeFileSync(path.join(pay, 'guest/initrd.gz'), Buffer.concat([readFileSync(path.join(art, 'guest-initrd.gz')), cpio.stdout]));
cpSync(path.join(here, 'xen/libvirt.sh'), path.join(pay, 'run.sh'));
const img = path.join(work, 'payload.img');
const mk = spawnSync('mkfs.ext4', ['-q', '-F', '-d', pay, img, '512M'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (mk.status !== 0) skip('mkfs.ext4 of the payload disk failed');
console.log(`lab libvirt: payload disk in ${secs(t)} s`);

t = Date.now();
const f = (n) => path.join(art, n);
const result = await runVm({
  name: 'xen-libvirt',
  args: ['-cpu', LIBVIRT_LAB_CPU, '-m', '3072', '-smp', '2', '-kernel', f('xen-4.17'),
    '-append', 'console=com1 com1=115200,8n1 dom0_mem=1280M,max:1280M dom0_max_vcpus=2 noreboot',
    '-initrd', `${f('vmlinuz')} console=hvc0 panic=-1 quiet,${f('dom0-initrd.gz')}`,
    '-drive', `file=${path.join(lvArt, 'dom0.img')},format=raw,if=virtio,snapshot=on`,
    '-drive', `file=${img},format=raw,if=virtio`],
  // TCG-bound phases (test/lab/README.md, "Measured"): three guest starts (virsh start 40–55 s,
  // answering 70–140 s later), `default`'s net-start ~80 s, two applies (115–180 s) and two
  // rollbacks (80–125 s), each with a libvirtd restart; run 6 took 1460 s at load ~8.5.
  timeoutS: Number(process.env.LAB_LIBVIRT_TIMEOUT ?? 1800),
  log: path.join(work, 'xen-libvirt-console.log'),
  done: /LAB-DOM0: run\.sh exit/,
});
for (const k of Object.keys(counts)) counts[k] += result[k];
console.log(`lab libvirt: xen VM (-cpu ${LIBVIRT_LAB_CPU}) booted, proved and powered off in ${secs(t)} s`);
if (result.failed > 0 || process.env.LAB_KEEP_LOG) {
  const keep = path.join(repo, '.cache/lab-libvirt', 'last-xen-libvirt-console.log');
  cpSync(path.join(work, 'xen-libvirt-console.log'), keep);
  console.log(`lab libvirt: full console log kept in ${keep}`);
}
summary();
