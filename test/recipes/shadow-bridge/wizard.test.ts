// The wizard asks recipe shadow-bridge's and vlan-bridges' questions in order with their detected
// defaults, re-asks a value the recipe refuses (with the localized message), and the answers it
// collects plan without error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { questionsStep } from '../../../steps/5-questions.js';
import type { Prompter } from '../../../steps/state.js';
import type { Context } from '../../../src/context.js';
import type { Answers } from '../../../src/model/answers.js';
import { format, type Translate } from '../../../src/i18n.js';
import { PROJECT, copyFixture, runCli, tempDir, writeJson } from '../../_helpers/roots.js';
import { detectHost } from '../../../src/detect/index.js';
import { RootFs } from '../../../src/system/rootfs.js';

const en = JSON.parse(fs.readFileSync(path.join(PROJECT, 'locales/en.json'), 'utf8')) as Record<string, string>;
const t: Translate = (key, params) => format(en[key] ?? key, params);

async function ask(fixture: string, recipe: string, typed: Record<string, [bad: string, good: string]>) {
  const root = copyFixture(fixture);
  const host = await detectHost(new RootFs(root), { live: false, ip: async () => '[]' });
  const asked: string[] = [];
  const refusals: string[] = [];
  const prompter: Prompter = {
    async select(q) { asked.push(`select ${q.message} [${String(q.default)}]`); return q.default!; },
    async checkbox(q) { asked.push(`checkbox ${q.message}`); return q.choices.filter((c) => c.checked).map((c) => c.value); },
    async input(q) {
      asked.push(`input ${q.message} [${q.default}]`);
      const pair = Object.entries(typed).find(([key]) => q.message === t(key))?.[1];
      if (!pair) return q.default ?? '';
      refusals.push(String(q.validate!(pair[0])));
      assert.is(q.validate!(pair[1]), true);
      return pair[1];
    },
    async confirm(q) { asked.push(`confirm ${q.message} [${q.default}]`); return q.default ?? true; },
  };
  const answers: Answers = { recipe };
  await questionsStep({ ctx: { t, interactive: true } as unknown as Context, answers, ask: prompter, host });
  const planned = runCli(['plan', '--root', root, '--answers', writeJson(path.join(tempDir(), 'a.json'), answers), '--json']);
  return { asked, refusals, answers, planned };
}

test('shadow-bridge (xend): the NIC with its default, the guests, antispoof (default no, seed 001 line 197)', async () => {
  const { asked, answers, planned } = await ask('centos5', 'shadow-bridge', {});
  assert.equal(asked, [
    `select ${t('q.shadow.nic')} [eth0]`,
    `checkbox ${t('q.shadow.guests')}`,
    `confirm ${t('q.shadow.antispoof')} [false]`,
  ]);
  assert.is(answers['shadow.nic'], 'eth0');
  assert.is(planned.status, 0, planned.stderr);
});

test('vlan-bridges (xl): trunk NIC, VLAN ids (a bad id re-asked), prefix, guests, MTU and tx-off with their defaults', async () => {
  const { asked, refusals, answers, planned } = await ask('debian12', 'vlan-bridges', {
    'q.vlan.ids': ['293,4095', '293,294'],
    'q.vlan.guests': ['web1=x', 'web1=293'],
  });
  assert.equal(asked, [
    `select ${t('q.vlan.nic')} [eno1]`,
    `input ${t('q.vlan.ids')} [293]`,
    `input ${t('q.vlan.bridgePrefix')} [xen-br]`,
    `input ${t('q.vlan.guests')} []`,
    `confirm ${t('q.vlan.mtu1496')} [false]`,
    `confirm ${t('q.vlan.txOff')} [false]`,
  ]);
  assert.match(refusals[0], /vlan\.ids: "4095" is not a VLAN id/);
  assert.match(refusals[1], /vlan\.guests: "web1=x" is not guest=VLAN/);
  assert.is(answers['vlan.ids'], '293,294');
  assert.is(planned.status, 0, planned.stderr);
  assert.match(planned.stdout, /bridge=xen-br293/);
});

test.run();
