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
  console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  // A run that ran nothing at all (a pattern matching no suite and no phase) is no success.
  const ranSomething = total > 0 || lab.passed > 0 || ansible.passed > 0;
  process.exit(ok && ranSomething && lab.failed === 0 && ansible.failed === 0 ? 0 : 1);
});

function runTheAnsiblePhase() {
  console.log('\n=== ansible: the xen_net_wizard.fleet collection (pytest ansible/tests) ===');
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import pytest, jsonschema, ansible'], { stdio: 'ignore' });
  if (probe.status !== 0) {
    // setup-test-deps.sh installs them as root; without them the phase cannot run, and says so.
    console.log('!!! ANSIBLE PHASE SKIPPED: Debian\'s python3-pytest, python3-jsonschema or ansible-core is missing');
    return { passed: 0, failed: 0, skipped: 1 };
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
  return lab;
}
