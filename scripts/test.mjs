#!/usr/bin/env node
// `npm test`: installs the Debian packages the oracles need (scripts/setup-test-deps.sh), runs
// every uvu suite under test/ through tsx, and closes with one plain summary line
// ("N passed, N failed, N skipped") followed by every skipped check and its reason. A check that
// cannot run registers itself as skipped (test/_helpers/skip.ts); under CI=true it fails instead.
// Paths are relative to the working directory, so test/runner.test.ts can run this on a tiny project.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uvuCounts, skipReasons, summaryLines } from './testSummary.mjs';

const setup = spawnSync('bash', ['scripts/setup-test-deps.sh'], { stdio: 'inherit' });
if (setup.status !== 0) {
  console.error('test set-up failed');
  process.exit(1);
}

const pattern = process.argv[2] ?? '\\.test\\.ts$';
const skipDir = mkdtempSync(path.join(tmpdir(), 'xnw-skips-'));
const skipLog = path.join(skipDir, 'skips.jsonl');
writeFileSync(skipLog, '');
const child = spawn(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', 'test', pattern], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, FORCE_COLOR: '0', XNW_SKIP_LOG: skipLog },
});
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  const { ran, ...counts } = uvuCounts(out, code);
  const skips = skipReasons(readFileSync(skipLog, 'utf8'));
  rmSync(skipDir, { recursive: true, force: true });
  const ok = code === 0 && counts.failed === 0 && ran > 0;
  // The lab (test/lab, a real Xen in qemu) is the last phase of a full run, or of a run whose
  // pattern names it; its checks join the counts, and a lab that cannot run counts as skipped.
  const runLab = process.argv[2] === undefined || /lab/.test(process.argv[2]);
  const lab = runLab ? runTheLab() : { passed: 0, failed: 0, skipped: 0 };
  for (const k of Object.keys(counts)) counts[k] += lab[k];
  for (const why of lab.skips ?? []) skips.push({ what: 'lab', why });
  // On CI every check must run: a lab that could not start is a failure there.
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  if (ci && lab.skipped > 0) {
    counts.failed += lab.skipped;
    counts.skipped -= lab.skipped;
  }
  console.log('\n' + summaryLines(counts, skips).join('\n'));
  process.exit(ok && counts.failed === 0 ? 0 : 1);
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
  return { passed: lab.passed, failed: lab.failed, skipped: lab.skipped, skips: lab.skips };
}
