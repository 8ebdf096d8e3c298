// Package = repo: `npm pack`, install the tarball into an empty prefix (as `npm install -g`
// would), run the installed demo non-interactively and compare it with the repo's run; the man
// page and schemas ship; `npx` runs the tarball too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PROJECT, tempDir } from './_helpers/roots.js';

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { version: string; man: string[] };
const dir = tempDir('xnw-pack-');
let tarball = '';

/** The demo run's output with what differs between any two runs (generated MACs, run id, temp path) masked. */
function normalise(text: string): string {
  return text
    .replace(/00:16:3e(:[0-9a-f]{2}){3}/g, '00:16:3e:XX:XX:XX')
    .replace(/\b\d{8}-\d{6}-[0-9a-f]+\b/g, 'RUN-ID')
    .replace(/\S*xen-net-wizard-demo-\w+/g, 'DEMO');
}

function demoRun(bin: string[], tmp: string): { status: number | null; out: string } {
  const r = spawnSync(bin[0], [...bin.slice(1), '--recipe', 'single-bridge', '--yes', '--lang', 'en'], {
    encoding: 'utf8', input: '', env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', TMPDIR: tmp },
  });
  return { status: r.status, out: normalise(r.stdout + r.stderr) };
}

test('npm pack ships only what runs, and everything it needs', () => {
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: PROJECT, encoding: 'utf8', env: { ...process.env, npm_config_ignore_scripts: 'false' } });
  assert.is(pack.status, 0, pack.stderr);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  tarball = path.join(dir, info.filename);
  const files = info.files.map((f) => f.path);
  for (const f of ['bin/xen-net-wizard.js', 'dist/src/main.js', 'locales/ja.json', 'LICENSE', 'README.md', 'demo/symlinks.json', pkg.man[0].replace(/^\.\//, '')]) {
    assert.ok(files.includes(f), f);
  }
  for (const s of ['answers', 'detect', 'plan', 'mac', 'rollback-list', 'error']) assert.ok(files.includes(`schemas/${s}.schema.json`), s);
  assert.ok(files.some((f) => f.startsWith('demo/root/etc/')), 'the demo dom0 ships');
  assert.not.ok(files.some((f) => f.startsWith('test/') || f.startsWith('src/') || f.endsWith('.ts') || f.startsWith('scripts/')), files.filter((f) => f.startsWith('test/') || f.endsWith('.ts')).join(','));
  console.log(`  tarball: ${info.filename}, ${(info.size / 1024).toFixed(1)} kB packed, ${(info.unpackedSize / 1024).toFixed(1)} kB unpacked, ${files.length} files`);
});

test('installed into a prefix, the demo runs exactly as the repo runs it (all ten steps), and leaves no temp copy', () => {
  const prefix = path.join(dir, 'prefix');
  const install = spawnSync('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', tarball], { encoding: 'utf8' });
  assert.is(install.status, 0, install.stderr);
  const installed = path.join(prefix, 'bin/xen-net-wizard');
  const version = spawnSync(installed, ['--version'], { encoding: 'utf8' });
  assert.is(version.stdout.trim(), pkg.version, version.stderr);
  assert.ok(fs.existsSync(path.join(prefix, 'share/man/man1/xen-net-wizard.1')), 'npm links the man page');
  const tmpA = tempDir('xnw-tmp-');
  const tmpB = tempDir('xnw-tmp-');
  const fromPackage = demoRun([installed], tmpA);
  const fromRepo = demoRun([process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js')], tmpB);
  assert.is(fromPackage.status, 0, fromPackage.out);
  assert.is(fromRepo.status, 0, fromRepo.out);
  assert.match(fromPackage.out, /\[10\/10\]/);
  assert.match(fromPackage.out, /virsh net-destroy default/);
  assert.match(fromPackage.out, /virsh net-autostart default --disable/);
  assert.fixture(fromPackage.out, fromRepo.out);
  assert.equal(fs.readdirSync(tmpA), [], 'the demo copy is removed on exit');
  const help = spawnSync(installed, ['--help', '--lang', 'ja'], { encoding: 'utf8' });
  assert.match(help.stdout, /使い方:/);
});

test('npx runs the tarball', () => {
  const cwd = tempDir('xnw-npx-');
  const r = spawnSync('npx', ['--yes', `--package=${tarball}`, 'xen-net-wizard', 'recipes', '--json'], {
    cwd, encoding: 'utf8', env: { ...process.env, npm_config_cache: path.join(cwd, '.npm') },
  });
  assert.is(r.status, 0, r.stderr);
  assert.is((JSON.parse(r.stdout) as { schemaVersion: number }).schemaVersion, 1);
});

test.run();
