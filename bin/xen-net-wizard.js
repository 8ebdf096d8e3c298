#!/usr/bin/env node
// The executable: hands argv to the built engine and nothing else. CommonJS (bin/package.json), as
// the engine's loader: an ES module here would start node's ES module loader for nothing (issue 11).
require('../dist/src/load.cjs').main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
