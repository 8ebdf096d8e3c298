#!/usr/bin/env node
// Part of `npm run build`, after tsc (the type check) and build-man.mjs (which imports tsc's
// output): the shipped engine. Every module of src/ and steps/ bundled by esbuild into one
// script, dist/src/engine.js, which dist/src/load.cjs (scripts/engine-loader.cjs: what bin/
// requires; dist/src/main.js re-exports it for the in-process tests) compiles through node:vm
// with V8's code cache, dist/src/engine.cache, made by scripts/code-cache.mjs after a warm run;
// the detached watchdog is an ES module bundle of its own, dist/src/watchdog.js. Why (issue 11):
// one file instead of ~90 resolved and read one by one, and bytecode deserialised instead of
// ~500 KB parsed and compiled at every cold start; node 20 has no module.enableCompileCache, and an
// ES module cannot be given a code cache. Everything
// lands flat in dist/src/, so every bundled module finds locales/, package.json and demo/ two
// levels up, as the tsc layout's src/*.ts did. npm packages stay external — node resolves them
// from node_modules as before (import() from the loader, require from the engine's own path) —
// except BUNDLED: saxes, which every plan of a host with libvirt needs, is compiled into the engine
// and its code cache (~6 ms of a cold plan to resolve, read and compile; its licence and its
// dependency's are in THIRD-PARTY-NOTICES.md, shipped beside the engine).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(project, 'dist/src');
fs.rmSync(out, { recursive: true, force: true });
fs.rmSync(path.join(project, 'dist/steps'), { recursive: true, force: true });
const common = { absWorkingDir: project, bundle: true, platform: 'node', target: 'node20', legalComments: 'none', logLevel: 'warning' };
/** npm packages bundled into the engine (with what they require): devDependencies, so never installed twice. */
const BUNDLED = ['saxes', 'xmlchars'];
const manifest = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
for (const name of BUNDLED) {
  if (manifest.dependencies?.[name]) throw new Error(`bundle: ${name} is bundled into the engine: a devDependency, not a dependency`);
}
/** Every other package stays external, subpaths (@inquirer/prompts, chalk/…) too. */
const external = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
  .filter((name) => !BUNDLED.includes(name))
  .flatMap((name) => [name, `${name}/*`]);

// The engine: CommonJS inside a function the loader calls, strict as the ES modules it was made of.
// import.meta.url is the engine's own URL; import() of an npm package goes to the loader's
// importModule (a script compiled by node:vm has no import() of its own without an experimental
// flag); the sources' import() of their own modules esbuild has already made plain calls.
const engine = await build({
  ...common,
  external,
  entryPoints: ['src/main.ts'],
  format: 'cjs',
  write: false,
  outfile: path.join(out, 'engine.js'),
  define: { 'import.meta.url': '__engineUrl' },
});
// ASCII only (the loader reads it as latin1, ~5 ms less than decoding UTF-8 into a two-byte string):
// esbuild leaves non-ASCII characters in regex literals and comments; as \uXXXX escapes they mean
// the same in a regex, string, identifier or comment (no tagged template of ours has any).
// Node's own modules are made into ES namespaces once each, not once per importing module: esbuild's
// __toESM copies every export of node:fs into a new object of getters at each of its ~35 sites, ~3 ms
// of every cold start (issue 11). A builtin is one object, so one namespace of it serves every importer.
const SHARED_NAMESPACE = 'var __nodeNamespaces = {};\nvar __nodeNamespace = (name) => __nodeNamespaces[name] ??= __toESM(require(name), 1);\n';
const body = engine.outputFiles[0].text
  .replace(/__toESM\(require\("(node:[\w/]+)"\), 1\)/g, '__nodeNamespace("$1")')
  .replace(/^var __toCommonJS = /m, (m) => `${SHARED_NAMESPACE}${m}`)
  .replace(/\bimport\("([^"]+)"\)/g, '__importModule("$1")')
  .replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
if (!body.includes(SHARED_NAMESPACE) || /__toESM\(require\("node:/.test(body)) throw new Error('bundle: esbuild\'s helpers changed: node builtins not given one shared namespace each');
const left = body.match(/\bimport\(.{0,40}/);
if (left) throw new Error(`bundle: an import() the engine's loader does not handle: ${left[0]}`);
fs.mkdirSync(out, { recursive: true });
const strict = body.startsWith('"use strict";') ? '' : '"use strict";\n'; // esbuild adds it from tsconfig's strict
fs.writeFileSync(path.join(out, 'engine.js'), `(function (exports, require, module, __filename, __dirname, __importModule, __engineUrl) {\n${strict}${body}})\n`);
fs.copyFileSync(path.join(project, 'scripts/engine-loader.cjs'), path.join(out, 'load.cjs'));
fs.writeFileSync(path.join(out, 'main.js'), [
  '// The engine (dist/src/load.cjs) for ES modules: what the in-process tests import.',
  "import { createRequire } from 'node:module';",
  '',
  "export const { main, version, defaultIo, reportError, codeCacheRejected, codeCache } = createRequire(import.meta.url)('./load.cjs');",
  '',
].join('\n'));

await build({ ...common, packages: 'external', entryPoints: { watchdog: 'src/exec/watchdog.ts' }, outdir: out, format: 'esm' });

const { NODE_OPTIONS: _flags, ...env } = process.env;
const cache = spawnSync(process.execPath, [path.join(project, 'scripts/code-cache.mjs')], { stdio: 'inherit', env });
if (cache.status !== 0) throw new Error('bundle: scripts/code-cache.mjs failed');
