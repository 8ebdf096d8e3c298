// The per-run payload a lab VM mounts on /lab: this machine's node, the built project with its
// production dependencies, and the files the caller adds; made into an ext4 image (mkfs.ext4 -d).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';

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
