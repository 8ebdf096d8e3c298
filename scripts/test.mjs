#!/usr/bin/env node
// `npm test`: installs the Debian packages the oracles need (scripts/setup-test-deps.sh), runs
// every uvu suite under test/ through tsx, and closes with one plain summary line.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

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
  const counts = { passed: num('Passed'), skipped: num('Skipped') };
  counts.failed = Math.max(total - counts.passed - counts.skipped, code === 0 ? 0 : 1);
  const ok = code === 0 && counts.failed === 0 && total > 0;
  // The lab (test/lab, a real Xen in qemu) is the last phase of a full run, or of a run whose
  // pattern names it; its checks join the counts, and a lab that cannot run counts as skipped.
  const runLab = process.argv[2] === undefined || /lab/.test(process.argv[2]);
  const lab = runLab ? runTheLab() : { passed: 0, failed: 0, skipped: 0 };
  for (const k of Object.keys(counts)) counts[k] += lab[k];
  console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  process.exit(ok && lab.failed === 0 ? 0 : 1);
});

function runTheLab() {
  console.log('\n=== lab: a real Xen 4.17 dom0 in qemu (test/lab/run.mjs) ===');
  const dir = mkdtempSync(path.join(tmpdir(), 'xnw-labsum-'));
  const file = path.join(dir, 'summary.json');
  const r = spawnSync(process.execPath, ['test/lab/run.mjs'], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, LAB_SUMMARY_FILE: file } });
  let lab = null;
  try { lab = JSON.parse(readFileSync(file, 'utf8')); } catch { /* reported below */ }
  rmSync(dir, { recursive: true, force: true });
  if (!lab) {
    console.log(`!!! LAB FAILED: no summary (exit ${r.status}, signal ${r.signal})`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  return lab;
}
