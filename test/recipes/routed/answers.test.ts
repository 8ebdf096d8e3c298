// Recipe routed's answers: bad ones refused (exit 2, the answer id and value named in the user's
// language, the tree untouched); --save-answers writes every answer, and replaying it on a fresh
// root gives the same files; the wizard asks the questions in order with detected defaults.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { assertRefusedUnchanged, copyFixture, fingerprintDiff, runCli, tempDir, treeFingerprint, writeJson, PROJECT } from '../../_helpers/roots.js';
import { questionsStep } from '../../../steps/5-questions.js';
import type { Prompter } from '../../../steps/state.js';
import type { Context } from '../../../src/context.js';
import type { Answers } from '../../../src/model/answers.js';
import { format, type Translate } from '../../../src/i18n.js';
import { detectHost } from '../../../src/detect/index.js';
import { RootFs } from '../../../src/system/rootfs.js';

const IPS = 'centos51u=192.168.1.11,centos51u2=192.168.1.12';
const bad: [string, object, RegExp[], string?][] = [
  ['no static address (seed 002 line 85)', {}, [/centos51u/, /route\.ips/]],
  ['not an address', { 'route.ips': 'centos51u=192.168.1.311,centos51u2=192.168.1.12' }, [/192\.168\.1\.311/]],
  ['not a pair', { 'route.ips': 'centos51u:192.168.1.11' }, [/centos51u:192\.168\.1\.11/]],
  ['one address twice', { 'route.ips': 'centos51u=192.168.1.11,centos51u2=192.168.1.11' }, [/192\.168\.1\.11/, /centos51u2/]],
  ["dom0's own address", { 'route.ips': 'centos51u=192.168.1.3,centos51u2=192.168.1.12' }, [/192\.168\.1\.3/, /192\.168\.1\.3\/24/]],
  ['the broadcast address of the LAN', { 'route.ips': 'centos51u=192.168.1.255,centos51u2=192.168.1.12' }, [/192\.168\.1\.255/]],
  ['multicast', { 'route.ips': 'centos51u=224.0.0.1,centos51u2=192.168.1.12' }, [/224\.0\.0\.1/]],
  ['an address for a guest not chosen', { guests: ['centos51u'], 'route.ips': IPS }, [/centos51u2/, /guests/]],
  ['a NIC that is a bridge', { 'wan.nic': 'xenbr0', 'route.ips': IPS }, [/xenbr0/]],
  ['a NIC that does not exist', { 'wan.nic': 'eth7', 'route.ips': IPS }, [/eth7/]],
  ['an unknown guest', { guests: ['nosuch'], 'route.ips': 'nosuch=192.168.1.11' }, [/nosuch/]],
  ['Japanese: no static address', {}, [/固定 IPアドレス/, /centos51u/], 'ja'],
];

for (const [name, answers, says, lang] of bad) {
  test(`refused: ${name} — exit 2, named, nothing changed`, () => {
    const a = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'routed', ...answers });
    assertRefusedUnchanged(copyFixture('centos5'), a, says, lang ? { LANG: 'ja_JP.UTF-8' } : {});
  });
}

test('--save-answers: every answer written; replayed on a fresh root it gives the same files', () => {
  const root = copyFixture('debian12');
  const saved = path.join(tempDir(), 'saved.json');
  const given = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'routed', guests: ['web1', 'db1'], 'route.ips': 'web1=192.168.1.11 db1=192.168.1.12' });
  const r = runCli(['apply', '--root', root, '--answers', given, '--yes', '--save-answers', saved]);
  assert.is(r.status, 0, r.stderr);
  const answers = JSON.parse(fs.readFileSync(saved, 'utf8'));
  assert.equal(answers, { schemaVersion: 1, recipe: 'routed', profile: 'xl', backend: 'ifupdown', 'wan.nic': 'eno1', guests: ['web1', 'db1'], 'route.ips': 'web1=192.168.1.11,db1=192.168.1.12', 'route.proxyArp': true });
  const fresh = copyFixture('debian12');
  const replay = runCli(['apply', '--root', fresh, '--answers', saved, '--yes']);
  assert.is(replay.status, 0, replay.stderr);
  const files = (root: string) => new Map([...treeFingerprint(root, { excludeJournal: true })]);
  assert.equal(fingerprintDiff(files(root), files(fresh)), []);
});

test('wizard: the questions in order with their detected defaults (the guests\' existing ip= is the default)', async () => {
  const root = copyFixture('debian12');
  const cfg = path.join(root, 'etc/xen/web1.cfg');
  fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace('bridge=virbr0', 'ip=192.168.1.11,bridge=virbr0'));
  const host = await detectHost(new RootFs(root), { live: false, ip: async () => '[]' });
  const en = JSON.parse(fs.readFileSync(path.join(PROJECT, 'locales/en.json'), 'utf8')) as Record<string, string>;
  const t: Translate = (key, params) => format(en[key] ?? key, params);
  const asked: string[] = [];
  const prompter: Prompter = {
    async select(q) { asked.push(`select ${q.message} [${String(q.default)}]`); return q.default!; },
    async checkbox(q) { asked.push(`checkbox ${q.message} [${q.choices.filter((c) => c.checked).map((c) => c.value).join(',')}]`); return ['web1', 'db1']; },
    async input(q) {
      asked.push(`input ${q.message} [${q.default}]`);
      assert.type(q.validate!('web1=192.168.1.300'), 'string', 'a bad address is refused with a message');
      assert.is(q.validate!('web1=192.168.1.11,db1=192.168.1.12'), true);
      return 'web1=192.168.1.11,db1=192.168.1.12';
    },
    async confirm(q) { asked.push(`confirm ${q.message} [${q.default}]`); return q.default ?? true; },
  };
  const answers: Answers = { recipe: 'routed' };
  await questionsStep({ ctx: { t, interactive: true } as unknown as Context, answers, ask: prompter, host });
  assert.equal(asked, [
    `select ${t('q.route.nic')} [eno1]`,
    `checkbox ${t('q.route.guests')} [backup,build,db1,web1]`,
    `input ${t('q.route.ips')} [web1=192.168.1.11]`,
    `confirm ${t('q.route.proxyArp')} [true]`,
  ]);
  assert.equal(answers['route.ips'], 'web1=192.168.1.11,db1=192.168.1.12');
});

test.run();
