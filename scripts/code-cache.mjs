#!/usr/bin/env node
// Part of `npm run build`, run by scripts/bundle.mjs in a node of its own without flags (V8 ties
// a code cache to its flags): loads the engine through dist/src/main.js, runs what a cold start
// most often is — `--help` and `plan --json` on the demo dom0, output discarded, nothing written —
// and saves the bytecode compiled on the way as dist/src/engine.cache (scripts/engine-loader.cjs).
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { main, codeCache } = await import(path.join(project, 'dist/src/main.js'));
const sink = () => new Writable({ write(_chunk, _encoding, done) { done(); } });
const io = { stdout: sink(), stderr: sink(), stdin: Readable.from([]), env: { PATH: process.env.PATH, NO_COLOR: '1', LANG: 'C' }, isRoot: false };
for (const argv of [['--help'], ['plan', '--root', path.join(project, 'demo/root'), '--recipe', 'single-bridge', '--json']]) {
  const code = await main(argv, io);
  if (code !== 0) throw new Error(`code cache: ${argv.join(' ')} exited ${code}`);
}
fs.writeFileSync(path.join(project, 'dist/src/engine.cache'), codeCache());
