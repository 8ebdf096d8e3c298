// Shared by the lab's runners (run-managers.mjs; run.mjs and run-libvirt.mjs have their own
// copies so far): the summary and skip contract of test/lab/README.md ("Output contract"), the
// host tools and the main lab's images, and the per-run payload a VM mounts on /lab.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The counts of one run and its end: `summary()` prints "LAB SUMMARY: N passed, N failed, N
 * skipped (T s)" and exits 0 only when something passed and nothing failed or was skipped;
 * `skip(why)` prints "!!! LAB SKIPPED: <why>" and ends the run as skipped.
 */
export function labRun() {
  const started = Date.now();
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const summary = (code) => {
    console.log(`\nLAB SUMMARY: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    if (process.env.LAB_SUMMARY_FILE) writeFileSync(process.env.LAB_SUMMARY_FILE, JSON.stringify(counts));
    process.exit(code ?? (counts.failed === 0 && counts.skipped === 0 && counts.passed > 0 ? 0 : 1));
  };
  const skip = (why) => {
    console.log(`!!! LAB SKIPPED: ${why}`);
    counts.skipped += 1;
    counts.skips = [why]; // npm test lists the reason (and fails on it under CI=true)
    summary(1);
  };
  return { counts, summary, skip };
}

/** Root, the built project, the host tools (setup.sh) and the main lab's images (build.sh): its artifact directory. */
export function mainImages(here, repo, skip) {
  if (process.getuid?.() !== 0) skip('needs root (installs qemu, builds a rootfs with mmdebstrap)');
  if (!existsSync(path.join(repo, 'dist/src'))) skip('the project is not built (npm run build)');
  const setup = spawnSync('bash', [path.join(here, 'setup.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (setup.status !== 0) skip(`host packages could not be installed (test/lab/setup.sh exit ${setup.status})`);
  const build = spawnSync('bash', [path.join(here, 'build.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (build.status !== 0) skip(`image build failed (test/lab/build.sh exit ${build.status})`);
  return build.stdout.trim().split('\n').pop();
}

/** Copies node and the app into `dir` (bin/node, app/…). */
export function copyApp(repo, dir) {
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  cpSync(process.execPath, path.join(dir, 'bin/node'));
  for (const p of ['bin', 'dist', 'locales', 'package.json']) cpSync(path.join(repo, p), path.join(dir, 'app', p), { recursive: true });
  const prod = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: repo, encoding: 'utf8' }).stdout
    .split('\n').filter((p) => p.startsWith(path.join(repo, 'node_modules')));
  for (const p of prod) cpSync(p, path.join(dir, 'app', path.relative(repo, p)), { recursive: true });
}

/** mkfs.ext4 -d of `dir` into `img`; true when it worked. */
export function makeImage(dir, img, size = '512M') {
  return spawnSync('mkfs.ext4', ['-q', '-F', '-d', dir, img, size], { stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
}
