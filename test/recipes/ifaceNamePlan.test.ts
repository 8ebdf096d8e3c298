// The interface-name edges as a user meets them: `plan` uses a 15-byte bridge name as given and
// refuses a 16-byte one (exit 2, the name and its byte count in the message).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { copyFixture, runCli, tempDir, writeJson } from '../_helpers/roots.js';

test('plan: a 15-byte bridge name is used as given, a 16-byte one is refused with exit 2 and the byte count', () => {
  const answers = (bridge: string) => writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge', 'wan.bridge': bridge });
  const ok = runCli(['plan', '--root', copyFixture('centos5'), '--answers', answers('xenbr0123456789'), '--json']);
  assert.is(ok.status, 0, ok.stderr);
  assert.ok(ok.stdout.includes('bridge=xenbr0123456789'), 'the guests move to the long bridge');
  const bad = runCli(['plan', '--root', copyFixture('centos5'), '--answers', answers('xenbr01234567890'), '--json']);
  assert.is(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /xenbr01234567890/);
  assert.match(bad.stderr, /16/);
});

test.run();
