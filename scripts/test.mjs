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
import { uvuCounts, skipReasons, summaryLines, suiteTimer, slowestSuites } from './testSummary.mjs';

const setup = spawnSync('bash', ['scripts/setup-test-deps.sh'], { stdio: 'inherit' });
if (setup.status !== 0) {
  console.error('test set-up failed');
  process.exit(1);
}

const pattern = process.argv[2] ?? '\\.test\\.ts$';
const skipDir = mkdtempSync(path.join(tmpdir(), 'xnw-skips-'));
const skipLog = path.join(skipDir, 'skips.jsonl');
writeFileSync(skipLog, '');
// Lines a suite wants in the closing summary (the equivalence oracle's counts), one per line.
const noteLog = path.join(skipDir, 'notes.txt');
writeFileSync(noteLog, '');
const child = spawn(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', 'test', pattern], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, FORCE_COLOR: '0', XNW_SKIP_LOG: skipLog, XNW_NOTE_LOG: noteLog },
});
let out = '';
const started = Date.now();
const timing = suiteTimer(started);
child.stdout.on('data', (chunk) => {
  out += chunk;
  timing.feed(String(chunk));
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  const { ran, ...counts } = uvuCounts(out, code);
  console.log('\n' + slowestSuites(timing.finish(Date.now()), 12).join('\n'));
  const skips = skipReasons(readFileSync(skipLog, 'utf8'));
  const notes = readFileSync(noteLog, 'utf8').split('\n').filter(Boolean);
  rmSync(skipDir, { recursive: true, force: true });
  const ok = code === 0 && counts.failed === 0;
  // The lab (test/lab, a real Xen in qemu) is the last phase of a full run, or of a run whose
  // pattern names it; its checks join the counts, and a lab that cannot run counts as skipped.
  const runLab = process.argv[2] === undefined || /lab/.test(process.argv[2]);
  // The Ansible collection (ansible/): pytest over its module, its fleet under ansible-playbook and
  // its offline sanity, in a full run or one whose pattern names "ansible".
  const runAnsible = process.argv[2] === undefined || /ansible/.test(process.argv[2]);
  const ansible = runAnsible ? runTheAnsiblePhase() : { passed: 0, failed: 0, skipped: 0 };
  const lab = runLab ? runTheLab() : { passed: 0, failed: 0, skipped: 0 };
  for (const k of Object.keys(counts)) counts[k] += lab[k] + ansible[k];
  // A phase that could not start at all is listed with its reason; on CI every check must run,
  // so there it is a failure.
  const phaseSkips = [...(lab.skips ?? []).map((why) => ({ what: 'lab', why })), ...(ansible.skips ?? []).map((why) => ({ what: 'ansible phase', why }))];
  skips.push(...phaseSkips);
  if ((process.env.CI === 'true' || process.env.CI === '1') && phaseSkips.length > 0) {
    counts.failed += phaseSkips.length;
    counts.skipped -= phaseSkips.length;
  }
  console.log('\n' + [...notes, ...summaryLines(counts, skips)].join('\n'));
  // A run that ran nothing at all (a pattern matching no suite and no phase) is no success.
  const ranSomething = ran > 0 || lab.passed > 0 || ansible.passed > 0;
  process.exit(ok && ranSomething && counts.failed === 0 ? 0 : 1);
});

function runTheAnsiblePhase() {
  console.log('\n=== ansible: the xen_net_wizard.fleet collection (pytest ansible/tests) ===');
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import pytest, jsonschema, ansible'], { stdio: 'ignore' });
  if (probe.status !== 0) {
    // setup-test-deps.sh installs them as root; without them the phase cannot run, and says so.
    const why = 'Debian\'s python3-pytest, python3-jsonschema or ansible-core is missing (scripts/setup-test-deps.sh installs them as root)';
    console.log(`!!! ANSIBLE PHASE SKIPPED: ${why}`);
    return { passed: 0, failed: 0, skipped: 1, skips: [why] };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'xnw-ansible-'));
  const recapFile = path.join(dir, 'recap.json');
  // Debian's python3 (where python3-pytest and ansible-core live), not whatever python3 is first on PATH.
  const r = spawnSync('/usr/bin/python3', ['-m', 'pytest', '-q', '-rfE', '-p', 'no:cacheprovider', 'ansible/tests'], {
    stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env: { ...process.env, XNW_FLEET_RECAP_FILE: recapFile },
  });
  process.stdout.write(r.stdout ?? '');
  try {
    for (const [run, lines] of Object.entries(JSON.parse(readFileSync(recapFile, 'utf8')))) {
      console.log(`ansible-playbook ${run}:`);
      for (const line of lines) console.log(`  ${line.trim()}`);
    }
  } catch { /* no fleet run: its tests say why */ }
  rmSync(dir, { recursive: true, force: true });
  // pytest's closing line, e.g. "31 passed, 2 failed, 1 skipped, 1 error in 95.1s".
  const closing = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  const n = (label) => Number(new RegExp(`(\\d+) ${label}`).exec(closing)?.[1] ?? 0);
  const counts = { passed: n('passed'), failed: n('failed') + n('errors?'), skipped: n('skipped') };
  if (r.status !== 0 && counts.failed === 0) {
    console.log(`!!! ANSIBLE PHASE FAILED: pytest exit ${r.status}${r.error ? ` (${r.error.message})` : ''}`);
    counts.failed = 1;
  }
  return counts;
}

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
