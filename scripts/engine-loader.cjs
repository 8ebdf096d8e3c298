// Shipped as dist/src/load.cjs by scripts/bundle.mjs (what bin/ requires; dist/src/main.js, which
// the in-process tests import, re-exports it): compiles the engine, dist/src/engine.js (every
// module of src/ and steps/ in one script), with V8's code cache from dist/src/engine.cache, made
// at build time after a warm run, so that a cold start deserialises bytecode instead of parsing
// and compiling ~500 KB (issue 11). V8 checks the cache against its version, flags and the source
// and ignores one that does not match (another node, a rebuilt engine, a truncated file): then the
// engine is compiled as without a cache. CommonJS, as the bin: node's ES module loader is not
// started unless the engine imports an npm package (~5 % of a cold --help).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

const file = path.join(__dirname, 'engine.js');
let cachedData;
try {
  cachedData = fs.readFileSync(path.join(__dirname, 'engine.cache'));
} catch {
  // No cache (not built with one): compiled from source.
}
// The bundle is ASCII (scripts/bundle.mjs): latin1 reads it as UTF-8 would, without the decoding.
const script = new vm.Script(fs.readFileSync(file, 'latin1'), { filename: file, cachedData });
const engine = { exports: {} };
// The engine's import() of npm packages, resolved from here as an ES module's would be.
const importModule = (specifier) => import(specifier);
script.runInThisContext()(engine.exports, require, engine, file, __dirname, importModule, pathToFileURL(file).href);

module.exports = {
  ...engine.exports,
  /** Whether V8 refused dist/src/engine.cache (test/cli/codeCache.test.ts); undefined without one. */
  codeCacheRejected: cachedData === undefined ? undefined : script.cachedDataRejected,
  /** The code cache of everything compiled so far (scripts/code-cache.mjs writes it after a warm run). */
  codeCache: () => script.createCachedData(),
};
