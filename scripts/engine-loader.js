// Shipped as dist/src/main.js by scripts/bundle.mjs (what bin/ and the in-process tests import):
// compiles the engine, dist/src/engine.js (every module of src/ and steps/ in one script), with
// V8's code cache from dist/src/engine.cache, made at build time after a warm run, so that a cold
// start deserialises bytecode instead of parsing and compiling ~500 KB (issue 11). V8 checks the
// cache against its version, flags and the source and ignores one that does not match (another
// node, a rebuilt engine, a truncated file): then the engine is compiled as without a cache.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const file = fileURLToPath(new URL('./engine.js', import.meta.url));
let cachedData;
try {
  cachedData = fs.readFileSync(fileURLToPath(new URL('./engine.cache', import.meta.url)));
} catch {
  // No cache (not built with one): compiled from source.
}
// The bundle is ASCII (scripts/bundle.mjs): latin1 reads it as UTF-8 would, without the decoding.
const script = new vm.Script(fs.readFileSync(file, 'latin1'), { filename: file, cachedData });
const engine = { exports: {} };
// The engine's import() of npm packages, resolved from here as an ES module's would be.
const importModule = (specifier) => import(specifier);
script.runInThisContext()(engine.exports, createRequire(file), engine, file, path.dirname(file), importModule, pathToFileURL(file).href);

export const { main, version, defaultIo, reportError } = engine.exports;
/** Whether V8 refused dist/src/engine.cache (test/cli/codeCache.test.ts); undefined without one. */
export const codeCacheRejected = cachedData === undefined ? undefined : script.cachedDataRejected;
/** The code cache of everything compiled so far (scripts/code-cache.mjs writes it after a warm run). */
export const codeCache = () => script.createCachedData();
