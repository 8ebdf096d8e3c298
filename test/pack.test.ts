// What npm ships: `npm pack`, install the tarball into an empty directory, run the binary.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PROJECT, tempDir } from './_helpers/roots.js';

test('npm pack ships only what runs; the installed binary answers --version and --help', () => {
  const dir = tempDir('xnw-pack-');
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: PROJECT, encoding: 'utf8', env: { ...process.env, npm_config_ignore_scripts: 'false' } });
  assert.is(pack.status, 0, pack.stderr);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  const files = info.files.map((f) => f.path);
  assert.ok(files.includes('bin/xen-net-wizard.js'));
  assert.ok(files.includes('dist/src/main.js'));
  assert.ok(files.includes('locales/ja.json'));
  assert.ok(files.some((f) => f.startsWith('demo/root/etc/')), 'the demo dom0 ships');
  assert.not.ok(files.some((f) => f.startsWith('test/') || f.startsWith('src/') || f.endsWith('.ts') || f.startsWith('scripts/')), files.filter((f) => f.startsWith('test/') || f.endsWith('.ts')).join(','));
  const app = path.join(dir, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), '{"name":"try-it","private":true}');
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', path.join(dir, info.filename)], { cwd: app, encoding: 'utf8' });
  assert.is(install.status, 0, install.stderr);
  const version = spawnSync('npx', ['--no-install', 'xen-net-wizard', '--version'], { cwd: app, encoding: 'utf8' });
  assert.is(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8')).version, version.stderr);
  const help = spawnSync('npx', ['--no-install', 'xen-net-wizard', '--help', '--lang', 'ja'], { cwd: app, encoding: 'utf8' });
  assert.match(help.stdout, /使い方:/);
});

test.run();
