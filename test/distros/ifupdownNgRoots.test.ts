// Alpine with ifupdown-ng, a root built from the Alpine wiki's "Configure Networking" example
// (test/fixtures/distros/README.md): single-bridge plans, applies offline and rolls back byte for
// byte, and ifupdown-ng's own ifquery (package ifupdown-ng, unpacked into .cache/debs, never
// installed: it conflicts with ifupdown) reads a bridge with the NIC as its port — the
// underscore-form options ifupdown writes would show it no bridge at all.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PROJECT, assertApplyIdempotentRollback, copyFixture, runCli, tempDir, writeJson } from '../_helpers/roots.js';
import { missingUnpacked, testUnless } from '../_helpers/skip.js';

const ALPINE = path.join(PROJECT, 'test/fixtures/distros/alpine-ifupdown-ng/root');
const IFQUERY = path.join(PROJECT, '.cache/debs/ifupdown-ng/sbin/ifquery');
const NO_IFQUERY = missingUnpacked('ifupdown-ng/sbin/ifquery');
const answers = () => writeJson(path.join(tempDir(), 'answers.json'), { recipe: 'single-bridge', backend: 'ifupdown-ng' });

function ifquery(file: string, ...args: string[]): string {
  const r = spawnSync(IFQUERY, ['-i', file, ...args], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return r.stdout;
}

function applied(edit?: (interfaces: string) => void): string {
  const root = copyFixture(ALPINE);
  const file = path.join(root, 'etc/network/interfaces');
  edit?.(file);
  const r = runCli(['apply', '--root', root, '--answers', answers(), '--yes']);
  assert.is(r.status, 0, r.stderr);
  return file;
}

test('Alpine (ifupdown-ng): single-bridge applies offline, plans nothing more, rolls back byte for byte', () => {
  assertApplyIdempotentRollback(copyFixture(ALPINE), answers());
});

testUnless(test, NO_IFQUERY, 'Alpine (ifupdown-ng): ifupdown-ng\'s ifquery reads the bridge, its port and the moved address', () => {
  const file = applied();
  const bridge = ifquery(file, 'xenbr0');
  for (const line of ['use bridge', 'bridge-ports eth0', 'bridge-stp off', 'bridge-fd 0', 'address 192.168.1.150/24', 'gateway 192.168.1.1']) {
    assert.ok(bridge.split('\n').some((l) => l.trim() === line), `${line} in:\n${bridge}`);
  }
  const nic = ifquery(file, 'eth0');
  assert.not.match(nic, /address|gateway/, nic);
  assert.equal(ifquery(file, '-L', '-a').trim().split('\n'), ['lo', 'eth0', 'xenbr0']);
  // The property as ifupdown-ng's bridge executor reads it (IF_BRIDGE_PORTS).
  assert.is(ifquery(file, '-p', 'bridge-ports', 'xenbr0').trim(), 'eth0');
});

testUnless(test, NO_IFQUERY, 'Alpine (ifupdown-ng), DHCP: the bridge keeps the NIC\'s MAC as ifupdown-ng spells it (hwaddress MAC, no "ether")', () => {
  const file = applied((f) => fs.writeFileSync(f, 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet dhcp\n\thostname alpine\n'));
  const bridge = ifquery(file, 'xenbr0');
  assert.ok(bridge.split('\n').some((l) => l.trim() === 'hwaddress 52:54:00:a1:00:03'), bridge);
  assert.ok(bridge.split('\n').some((l) => l.trim() === 'use dhcp'), bridge);
  // ifupdown-ng reads the NIC's `hostname` as dhcp-hostname: it moved with the DHCP method.
  assert.ok(bridge.split('\n').some((l) => l.trim() === 'dhcp-hostname alpine'), bridge);
});

const internal = () => writeJson(path.join(tempDir(), 'answers.json'), { recipe: 'internal-dummy', backend: 'ifupdown-ng' });

test('Alpine (ifupdown-ng): internal-dummy applies, plans nothing more, rolls back byte for byte', () => {
  assertApplyIdempotentRollback(copyFixture(ALPINE), internal());
});

testUnless(test, NO_IFQUERY, 'Alpine (ifupdown-ng): ifquery reads internal-dummy\'s port-less bridge (bridge-ports none) with its fixed MAC', () => {
  const root = copyFixture(ALPINE);
  const r = runCli(['apply', '--root', root, '--answers', internal(), '--yes']);
  assert.is(r.status, 0, r.stderr);
  const lines = ifquery(path.join(root, 'etc/network/interfaces'), 'xenbr1').split('\n').map((l) => l.trim());
  for (const line of ['use bridge', 'bridge-ports none', 'bridge-stp off', 'bridge-fd 0']) assert.ok(lines.includes(line), `${line} in ${lines.join(' | ')}`);
  assert.ok(lines.some((l) => /^hwaddress 00:16:3e(:[0-9a-f]{2}){3}$/.test(l)), lines.join(' | '));
  assert.not.ok(lines.some((l) => l.startsWith('bridge_')), 'no ifupdown-only option');
});

test.run();
