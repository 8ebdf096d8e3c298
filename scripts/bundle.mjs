#!/usr/bin/env node
// Part of `npm run build`, after tsc (the type check) and build-man.mjs (which imports tsc's output): the shipped engine as esbuild bundles — dist/src/main.js (what
// bin/ and the in-process tests import) and dist/src/watchdog.js (the detached watchdog), with the
// lazily imported commands as chunks beside them. One file to compile instead of ~90 resolved and
// read one by one is most of a cold start (issue 11). Everything lands flat in dist/src/, so every
// bundled module finds locales/, package.json and demo/ two levels up, as the tsc layout's
// src/*.ts did. npm packages stay external: node resolves them from node_modules as before.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(project, 'dist/src');
fs.rmSync(out, { recursive: true, force: true });
fs.rmSync(path.join(project, 'dist/steps'), { recursive: true, force: true });
await build({
  absWorkingDir: project,
  entryPoints: { main: 'src/main.ts', watchdog: 'src/exec/watchdog.ts' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: '[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});
