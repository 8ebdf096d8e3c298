// xenstore's bridge key follows a live vif move, and its undo restores the key it found.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { xenstoreBridgeSteps, vifBackendPath } from '../../src/live/xenstoreBridge.js';

test('one xenstore-write per moved vif, undo writes back the bridge read before', () => {
  const steps = xenstoreBridgeSteps([
    { domid: 3, devid: 0, vif: 'vif3.0', current: 'virbr0' },
    { domid: 7, devid: 1, vif: 'db1.1', current: 'virbr0' },
  ], 'xenbr0');
  assert.equal(steps.map((s) => [s.argv, s.undo]), [
    [['xenstore-write', '/local/domain/0/backend/vif/3/0/bridge', 'xenbr0'], ['xenstore-write', '/local/domain/0/backend/vif/3/0/bridge', 'virbr0']],
    [['xenstore-write', '/local/domain/0/backend/vif/7/1/bridge', 'xenbr0'], ['xenstore-write', '/local/domain/0/backend/vif/7/1/bridge', 'virbr0']],
  ]);
  assert.ok(steps.every((s) => s.kind === 'command' && s.phase === 'before-edit' && s.title.key === 'step.xenstoreBridge'));
});

test('a key that already names the bridge gets no step', () => {
  assert.equal(xenstoreBridgeSteps([{ domid: 1, devid: 0, vif: 'vif1.0', current: 'xenbr0' }], 'xenbr0'), []);
  assert.is(vifBackendPath(12, 2), '/local/domain/0/backend/vif/12/2');
});

test.run();
