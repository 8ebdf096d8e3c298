// No silent skips (issue 12, deliverable 5): an xm config that is Python the wizard cannot read
// whole (a computed name, a vif set in an `if` block) is reported by detect with its file, line
// and why; when it mentions the bridge being retired, the destructive libvirt steps are refused
// (exit 2, file and line) unless the answer guests.ignoreUnparsed lists it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, fingerprintDiff, runCli, tempDir, treeFingerprint, writeJson } from '../_helpers/roots.js';

const COMPUTED_NAME = '# xmexample style: one file, many guests\nvmid = 3\nname = "VM%d" % vmid\nmemory = 256\nvif = [ "mac=00:16:3e:00:00:%02x,bridge=virbr0" % vmid ]\n';
const VIF_IN_IF = 'name = "legacy"\nmemory = 256\nimport os\nif os.path.exists("/etc/xen/use-lan"):\n    vif = [ "bridge=xenbr0" ]\nelse:\n    vif = [ "bridge=virbr0" ]\n';
const ELSEWHERE = 'vmid = 4\nname = "VM%d" % vmid\nmemory = 256\nvif = [ "bridge=br-dmz" ]\n';

function rootWith(files: Record<string, string>): string {
  const root = copyFixture('debian12');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(root, 'etc/xen', name), text);
  return root;
}
const answers = (a: object) => writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge', ...a });

test('detect --json lists each unreadable guest definition with its line and why', () => {
  const r = runCli(['detect', '--root', rootWith({ 'vms.cfg': COMPUTED_NAME, 'legacy.cfg': VIF_IN_IF }), '--json']);
  assert.is(r.status, 0, r.stderr);
  const found = (JSON.parse(r.stdout).unparsedGuests as Array<{ path: string; line: number; why: string }>).sort((a, b) => a.path.localeCompare(b.path));
  assert.equal(found, [
    { path: '/etc/xen/legacy.cfg', line: 5, why: 'vifInPython' },
    { path: '/etc/xen/vms.cfg', line: 3, why: 'nameNotLiteral' },
  ]);
});

test('detect (text, ja too) names the file, the line and why', () => {
  const root = rootWith({ 'vms.cfg': COMPUTED_NAME });
  const en = runCli(['detect', '--root', root]);
  assert.match(en.stdout, /\/etc\/xen\/vms\.cfg line 3: its name is computed by Python/);
  const ja = runCli(['detect', '--root', root, '--lang', 'ja']);
  assert.match(ja.stdout, /\/etc\/xen\/vms\.cfg の 3 行目: 名前が Python で計算されており/);
});

test('a plan that stops virbr0\'s network while an unreadable guest mentions virbr0: exit 2, file and line, nothing changed', () => {
  for (const [file, text, line] of [['vms.cfg', COMPUTED_NAME, 3], ['legacy.cfg', VIF_IN_IF, 5]] as const) {
    const root = rootWith({ [file]: text });
    const before = treeFingerprint(root);
    const r = runCli(['apply', '--root', root, '--yes', '--answers', answers({})]);
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`/etc/xen/${file.replace('.', '\\.')} line ${line}: .*mentions virbr0.*guests\\.ignoreUnparsed`));
    assert.equal(fingerprintDiff(before, treeFingerprint(root)), []);
  }
});

test('listed in guests.ignoreUnparsed: the plan stops the network as before, and the answer is saved', () => {
  const root = rootWith({ 'vms.cfg': COMPUTED_NAME });
  const saved = path.join(tempDir(), 'saved.json');
  const r = runCli(['plan', '--root', root, '--json', '--answers', answers({ 'guests.ignoreUnparsed': ['/etc/xen/vms.cfg'] }), '--save-answers', saved]);
  assert.is(r.status, 0, r.stderr);
  const ids = (JSON.parse(r.stdout).steps as Array<{ id: string }>).map((s) => s.id);
  assert.ok(ids.includes('run:virsh-net-destroy-default'), ids.join(' '));
  assert.equal(JSON.parse(fs.readFileSync(saved, 'utf8'))['guests.ignoreUnparsed'], ['/etc/xen/vms.cfg']);
});

test('an unreadable guest that never mentions the retired bridge does not block the plan', () => {
  const r = runCli(['plan', '--root', rootWith({ 'dmz.cfg': ELSEWHERE }), '--json', '--answers', answers({})]);
  assert.is(r.status, 0, r.stderr);
  assert.ok((JSON.parse(r.stdout).steps as Array<{ id: string }>).some((s) => s.id === 'run:virsh-net-destroy-default'));
});

test('guests.ignoreUnparsed naming a file detect did not list: exit 2', () => {
  const r = runCli(['plan', '--root', rootWith({ 'vms.cfg': COMPUTED_NAME }), '--answers', answers({ 'guests.ignoreUnparsed': ['/etc/xen/nope.cfg'] })]);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /\/etc\/xen\/nope\.cfg is not one of the guest definitions detect could not read \(\/etc\/xen\/vms\.cfg\)/);
});

test.run();
