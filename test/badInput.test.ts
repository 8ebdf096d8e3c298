// Every bad input of the issue: exit 2, a message naming the file/line/value at fault, in the
// user's language, and not one byte changed under the root.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { copyFixture, runCli, tempDir, treeFingerprint, fingerprintDiff, PROJECT } from './_helpers/roots.js';

interface Case {
  name: string;
  fixture?: string;
  /** Answers file content: an object (written as JSON) or raw text. */
  answers?: object | string;
  /** Change the root before the run (a broken guest config, …). */
  prepare?: (root: string) => void;
  args?: (root: string, answers: string) => string[];
  /** The message must contain each of these. */
  says: (string | RegExp)[];
}

const R = { recipe: 'single-bridge' };
const cases: Case[] = [
  { name: 'unknown recipe', answers: { recipe: 'triple-bridge' }, says: ['triple-bridge', 'recipes'] },
  { name: 'recipe in the guide but not yet here', answers: { recipe: 'shadow-bridge' }, says: ['shadow-bridge'] },
  { name: 'answers file that is not JSON', answers: '{\n  "recipe": single-bridge\n}\n', says: ['a.json', 'line 2'] },
  { name: 'answers file that is a list', answers: '["single-bridge"]', says: ['a.json', 'object'] },
  { name: 'answers file with an unknown id', answers: { ...R, 'wan.nick': 'eth0' }, says: ['wan.nick', 'wan.nic'] },
  { name: 'answer of the wrong type (guests as a string)', answers: { ...R, guests: 'centos51u' }, says: ['guests', '"centos51u"'] },
  { name: 'answer of the wrong type (antispoof as a string)', answers: { ...R, antispoof: 'yes' }, says: ['antispoof'] },
  { name: 'profile outside its choices', answers: { ...R, profile: 'xm' }, says: ['profile', 'xend, xl'] },
  { name: 'wan.nic that does not exist', answers: { ...R, 'wan.nic': 'eth9' }, says: ['eth9', 'eth0'] },
  { name: 'wan.nic that is already a port of another bridge', answers: { ...R, 'wan.nic': 'peth0', 'wan.bridge': 'xenbr1' }, says: ['peth0', 'xenbr0'] },
  { name: 'wan.nic that is a bridge', answers: { ...R, 'wan.nic': 'virbr0' }, says: ['virbr0'] },
  { name: 'bridge name over 15 bytes', answers: { ...R, 'wan.bridge': 'xenbr0123456789ab' }, says: ['xenbr0123456789ab', '17', '15'] },
  { name: 'bridge name of 24 bytes in 8 Japanese characters', answers: { ...R, 'wan.bridge': 'ぶりっじぶりっじ' }, says: ['ぶりっじぶりっじ', '24'] },
  { name: 'bridge name with characters outside [A-Za-z0-9_.-]', answers: { ...R, 'wan.bridge': 'ぶり0' }, says: ['ぶり0'] },
  { name: 'bridge name with a space', answers: { ...R, 'wan.bridge': 'xen br0' }, says: ['"xen br0"'] },
  { name: 'bridge name with a slash', answers: { ...R, 'wan.bridge': 'xen/br0' }, says: ['xen/br0'] },
  { name: 'bridge name used by a NIC', fixture: 'debian12', answers: { ...R, 'wan.bridge': 'eno2' }, says: ['eno2'] },
  { name: 'malformed MAC', answers: { ...R, macs: { centos51u2: '00:16:3e:zz:00:01' } }, says: ['00:16:3e:zz:00:01', 'centos51u2'] },
  { name: 'five-octet MAC', answers: { ...R, macs: { centos51u2: '00:16:3e:00:01' } }, says: ['00:16:3e:00:01'] },
  { name: 'multicast MAC', answers: { ...R, macs: { centos51u2: '01:16:3e:00:00:01' } }, says: ['01:16:3e:00:00:01', 'multicast'] },
  { name: 'MAC already used by another guest', answers: { ...R, macs: { centos51u2: '00:16:3e:17:d4:87' } }, says: ['00:16:3e:17:d4:87', 'in use'] },
  { name: 'MAC already used by a NIC', answers: { ...R, macs: { centos51u2: '00:19:B9:3A:66:12' } }, says: ['00:19:b9:3a:66:12'] },
  { name: 'MAC for a guest that does not exist', answers: { ...R, macs: { nobody: '00:16:3e:00:00:01' } }, says: ['nobody'] },
  { name: 'guest that does not exist', answers: { ...R, guests: ['centos51u', 'ghost'] }, says: ['ghost', 'centos51u2'] },
  {
    name: 'guest config that does not parse',
    answers: R,
    prepare: (root) => fs.writeFileSync(path.join(root, 'etc/xen/broken'), 'name = "broken"\nmemory = 256\nvif = [ "bridge=virbr0"\n'),
    says: ['/etc/xen/broken', /line \d/],
  },
  {
    name: 'guest config with an unterminated string',
    answers: R,
    prepare: (root) => fs.writeFileSync(path.join(root, 'etc/xen/broken2'), 'name = "broken2\nvif = [ "bridge=virbr0" ]\n'),
    says: ['/etc/xen/broken2', 'line 1'],
  },
  {
    name: 'libvirt XML that does not parse',
    answers: R,
    prepare: (root) => fs.writeFileSync(path.join(root, 'etc/xen/xml/bad.xml'), "<domain type='xen'>\n  <name>bad</name>\n  <devices>\n</domain>\n"),
    says: ['/etc/xen/xml/bad.xml', 'line 4'],
  },
  { name: 'recipe missing without a terminal', answers: {}, says: ['"recipe"', '--answers'] },
  { name: 'apply without --yes and without a terminal', answers: R, args: (root, a) => ['apply', '--root', root, '--answers', a], says: ['--yes'] },
  { name: '--root that does not exist', args: () => ['plan', '--root', '/nonexistent/xnw-root'], says: ['/nonexistent/xnw-root'] },
  { name: 'answers file that does not exist', args: (root) => ['plan', '--root', root, '--answers', '/nonexistent/a.json'], says: ['/nonexistent/a.json'] },
  { name: 'unknown option', args: (root) => ['plan', '--root', root, '--frob'], says: ['--frob'] },
];

for (const c of cases) {
  test(`bad input: ${c.name} → exit 2, nothing changed`, () => {
    const root = copyFixture(c.fixture ?? 'centos5');
    c.prepare?.(root);
    const dir = tempDir();
    const answers = path.join(dir, 'a.json');
    if (c.answers !== undefined) fs.writeFileSync(answers, typeof c.answers === 'string' ? c.answers : JSON.stringify(c.answers));
    const before = treeFingerprint(root);
    const args = c.args ? c.args(root, answers) : ['apply', '--root', root, '--answers', answers, '--yes'];
    const r = runCli(args);
    assert.is(r.status, 2, `exit ${r.status}\n${r.stderr}`);
    for (const s of c.says) {
      if (typeof s === 'string') assert.ok(r.stderr.includes(s), `message lacks "${s}": ${r.stderr}`);
      else assert.match(r.stderr, s);
    }
    assert.match(r.stderr, /Nothing was changed/);
    assert.equal(fingerprintDiff(before, treeFingerprint(root)), []);
  });
}

test('bad input in Japanese: the same message, in the guide\'s language', () => {
  const root = copyFixture('centos5');
  const answers = path.join(tempDir(), 'a.json');
  fs.writeFileSync(answers, JSON.stringify({ ...R, 'wan.nic': 'eth9' }));
  const r = runCli(['apply', '--root', root, '--answers', answers, '--yes'], { env: { LANG: 'ja_JP.UTF-8' } });
  assert.is(r.status, 2);
  assert.ok(r.stderr.includes('エラー') && r.stderr.includes('eth9') && r.stderr.includes('何も変更していません'), r.stderr);
  const en = runCli(['apply', '--root', root, '--answers', answers, '--yes', '--lang', 'en'], { env: { LANG: 'ja_JP.UTF-8' } });
  assert.match(en.stderr, /there is no NIC "eth9"/, '--lang wins over LANG');
});

test('not root when --root is / → exit 2 (run as nobody)', () => {
  if (process.getuid?.() !== 0) {
    const r = runCli(['apply', '--yes']);
    assert.is(r.status, 2);
    assert.match(r.stderr, /root/);
    return;
  }
  // The clone may sit in a 0700 directory: give nobody a readable copy of what this path loads.
  const app = tempDir('xnw-nobody-');
  fs.chmodSync(app, 0o755);
  for (const part of ['bin', 'dist', 'locales', 'package.json']) fs.cpSync(path.join(PROJECT, part), path.join(app, part), { recursive: true });
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, path.join(app, 'bin/xen-net-wizard.js'), 'apply', '--yes'], {
    encoding: 'utf8', env: { PATH: process.env.PATH, LANG: 'C' }, cwd: app,
  });
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /must run as root/);
});

test.run();
