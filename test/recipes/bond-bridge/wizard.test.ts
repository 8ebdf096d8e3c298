// The wizard asks bond-bridge's questions in the guide's order, in the user's language, with the
// detected defaults pre-selected (seed 000 line 305: eth0 + eth2 bonded, eth1 the back LAN).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, PROJECT } from '../../_helpers/roots.js';
import { RootFs } from '../../../src/system/rootfs.js';
import { detectHost } from '../../../src/detect/index.js';
import { format, type Lang } from '../../../src/i18n.js';
import { questionsStep } from '../../../steps/5-questions.js';
import type { Prompter, WizardState } from '../../../steps/state.js';
import type { Context } from '../../../src/context.js';

interface Asked { kind: string; message: string; fallback: unknown; choices?: string[] }

/** A prompter that records each question and answers with what the wizard pre-selected. */
function recorder(asked: Asked[]): Prompter {
  return {
    async select(q) {
      asked.push({ kind: 'select', message: q.message, fallback: q.default, choices: q.choices.map((c) => String(c.value)) });
      return q.default ?? q.choices[0].value;
    },
    async checkbox(q) {
      const checked = q.choices.filter((c) => c.checked).map((c) => c.value);
      asked.push({ kind: 'checkbox', message: q.message, fallback: checked.map(String), choices: q.choices.map((c) => String(c.value)) });
      return checked;
    },
    async input(q) {
      asked.push({ kind: 'input', message: q.message, fallback: q.default });
      return q.default ?? '';
    },
    async confirm(q) {
      asked.push({ kind: 'confirm', message: q.message, fallback: q.default });
      return q.default ?? false;
    },
  };
}

// The locale files as the built CLI reads them (src/i18n.ts finds them relative to dist/).
const translator = (lang: Lang) => {
  const messages = JSON.parse(fs.readFileSync(path.join(PROJECT, 'locales', `${lang}.json`), 'utf8')) as Record<string, string>;
  return (key: string, params?: Record<string, string | number>) => format(messages[key] ?? key, params);
};

async function run(lang: Lang) {
  const root = new RootFs(copyFixture('centos5-3nic'));
  const host = await detectHost(root, { live: false, ip: async () => '[]' });
  const ctx = { t: translator(lang), interactive: true } as unknown as Context;
  const asked: Asked[] = [];
  const state: Pick<WizardState, 'ctx' | 'answers' | 'ask' | 'host'> = { ctx, host, answers: { recipe: 'bond-bridge' }, ask: recorder(asked) };
  await questionsStep(state);
  return { asked, answers: state.answers };
}

test('bond-bridge questions in order with the guide\'s defaults pre-selected', async () => {
  const { asked, answers } = await run('en');
  assert.equal(asked.map((a) => a.kind), ['checkbox', 'select', 'input', 'select', 'input', 'checkbox', 'confirm', 'confirm']);
  assert.equal(asked[0].fallback, ['eth0', 'eth2']);
  assert.is(asked[1].fallback, 'active-backup');
  assert.ok(asked[1].choices!.includes('balance-rr') && asked[1].choices!.length === 7);
  assert.is(asked[2].fallback, 'bond0');
  assert.is(asked[3].fallback, 'eth1');
  assert.is(asked[4].fallback, 'xenbr0');
  assert.equal(asked[5].fallback, ['centos51u', 'centos51u2']);
  assert.match(asked[0].message, /bonds eth0 and eth2/);
  assert.equal(answers['bond.slaves'], ['eth0', 'eth2']);
  assert.is(answers['back.nic'], 'eth1');
});

test('the same questions in Japanese', async () => {
  const { asked } = await run('ja');
  assert.match(asked[0].message, /bonding にまとめる NIC/);
  assert.match(asked[3].message, /裏LAN/);
});

test.run();
