// The bond failover proof lives in the lab's kernel VM (test/lab/kernel/payloads/50-bond-bridge.sh,
// run by `npm run lab` on branch lab's harness): this machine's kernel has no bonding. Here: the
// payload is valid sh and carries network-bridge-bonding exactly as the wizard renders it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PROJECT } from '../../_helpers/roots.js';
import { renderBondingScript } from '../../../src/recipes/bond-bridge/networkBridgeBonding.js';

const PAYLOAD = path.join(PROJECT, 'test/lab/kernel/payloads/50-bond-bridge.sh');

test('the payload is valid sh', () => {
  const r = spawnSync('sh', ['-n', PAYLOAD], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
});

test('the payload runs the rendered network-bridge-bonding byte for byte', () => {
  const text = fs.readFileSync(PAYLOAD, 'utf8');
  const start = text.indexOf("<<'XNW_SCRIPT_END'\n") + "<<'XNW_SCRIPT_END'\n".length;
  const end = text.indexOf('\nXNW_SCRIPT_END\n');
  assert.is(text.slice(start, end + 1), renderBondingScript());
});

// The failover itself runs in the lab (a kernel with bonding); what this machine can check is that
// the lab will run it: the kernel VM's init runs every payload, and this one cuts a slave under load.
test('the lab kernel VM runs this payload, which pulls eth0\'s cable under traffic and expects eth2 to take over', () => {
  const init = fs.readFileSync(path.join(PROJECT, 'test/lab/kernel/init'), 'utf8');
  assert.match(init, /^for p in \/payloads\/\*\.sh; do$/m);
  assert.match(path.basename(PAYLOAD), /\.sh$/);
  const text = fs.readFileSync(PAYLOAD, 'utf8');
  const cut = text.indexOf('ip link set eth0-peer down');
  assert.ok(cut > text.indexOf('ping -i 0.1 -c 50'), 'traffic runs while the cable goes');
  assert.ok(text.indexOf('failed over to eth2') > cut, 'the active slave is checked after the cut');
});

test.run();
