#!/usr/bin/env node
// The executable: hands argv to the built engine and nothing else.
import { main } from '../dist/src/main.js';

process.exitCode = await main(process.argv.slice(2));
