#!/usr/bin/env node
// `npm test`: installs the Debian packages the oracles need (scripts/setup-test-deps.sh), runs
// every uvu suite under test/ through tsx, and closes with one plain summary line.
import { spawn, spawnSync } from 'node:child_process';

const setup = spawnSync('bash', ['scripts/setup-test-deps.sh'], { stdio: 'inherit' });
if (setup.status !== 0) {
  console.error('test set-up failed');
  process.exit(1);
}

const pattern = process.argv[2] ?? '\\.test\\.ts$';
const child = spawn(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', 'test', pattern], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, FORCE_COLOR: '0' },
});
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  const num = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(out)?.[1] ?? 0);
  const total = num('Total');
  const passed = num('Passed');
  const skipped = num('Skipped');
  const failed = Math.max(total - passed - skipped, code === 0 ? 0 : 1);
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(code === 0 && failed === 0 && total > 0 ? 0 : 1);
});
