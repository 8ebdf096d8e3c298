#!/usr/bin/env node
// The executable: hands argv to the built engine and nothing else — after one V8 setting. No
// TurboFan: a run is over before optimized code pays back its compiling (issue 11, measured in
// README "Performance": plan over 1,000 and 10,000 guests needs about a quarter less CPU).
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-opt');
const { main } = await import('../dist/src/main.js');
process.exitCode = await main(process.argv.slice(2));
