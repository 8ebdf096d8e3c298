// The engine's code cache (issue 11, scripts/engine-loader.js): the built cache is one V8 accepts
// for the built engine, and a cache that does not fit — another engine's, a truncated one, none —
// is ignored without a word: the CLI's output, stderr and exit code stay those of the built one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { spawnSync } from 'node:child_process';
import { PROJECT, tempDir } from '../_helpers/roots.js';

const built = path.join(PROJECT, 'dist/src');

/** A copy of the built package whose dist/src/engine.cache is `cache` (none when undefined). */
function packageWith(cache: Buffer | undefined): string {
  const dir = tempDir('xnw-code-cache-');
  fs.mkdirSync(path.join(dir, 'dist/src'), { recursive: true });
  for (const f of fs.readdirSync(built)) if (f !== 'engine.cache') fs.copyFileSync(path.join(built, f), path.join(dir, 'dist/src', f));
  if (cache) fs.writeFileSync(path.join(dir, 'dist/src/engine.cache'), cache);
  fs.cpSync(path.join(PROJECT, 'bin'), path.join(dir, 'bin'), { recursive: true });
  for (const f of ['locales', 'demo', 'node_modules', 'package.json']) fs.symlinkSync(path.join(PROJECT, f), path.join(dir, f));
  return dir;
}

function run(dir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(dir, 'bin/xen-net-wizard.js'), ...args], {
    encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1', LANG: 'C' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Whether V8 takes `cache` for the built engine, asked in a node without flags, as the bin runs. */
function rejected(dir: string): string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { codeCacheRejected } from ${JSON.stringify(path.join(dir, 'dist/src/main.js'))}; console.log(String(codeCacheRejected));`], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  assert.is(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('the built code cache is accepted by this node for the built engine', () => {
  assert.ok(fs.statSync(path.join(built, 'engine.cache')).size > 0);
  assert.is(rejected(PROJECT), 'false');
});

test('a cache that does not fit is ignored: same output, nothing on stderr', () => {
  const engine = fs.readFileSync(path.join(built, 'engine.js'), 'utf8');
  const good = fs.readFileSync(path.join(built, 'engine.cache'));
  const cases: Record<string, Buffer | undefined> = {
    none: undefined,
    'another engine': new vm.Script(`${engine}\n0;`).createCachedData(),
    truncated: good.subarray(0, good.length >> 1),
    empty: Buffer.alloc(0),
  };
  const demo = ['plan', '--root', path.join(PROJECT, 'demo/root'), '--recipe', 'single-bridge', '--json'];
  const mask = (s: string) => s.replace(/00:16:3e(:[0-9a-f]{2}){3}/g, 'MAC');
  const reference = run(PROJECT, demo);
  assert.is(reference.status, 0, reference.stderr);
  for (const [name, cache] of Object.entries(cases)) {
    const dir = packageWith(cache);
    if (cache !== undefined) assert.is(rejected(dir), 'true', name);
    for (const args of [['--version'], ['--help'], demo]) {
      const r = run(dir, args);
      assert.is(r.status, 0, `${name}: ${r.stderr}`);
      assert.is(r.stderr, '', name);
      assert.is(mask(r.stdout), mask(args === demo ? reference.stdout : run(PROJECT, args).stdout), `${name}: ${args.join(' ')}`);
    }
  }
});

test.run();
