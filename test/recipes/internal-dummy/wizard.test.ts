// The wizard asks recipe internal-dummy's questions in the guide's order (LAN bridge, internal
// bridge, guests), each with its detected default, and re-asks a second NIC that is the LAN NIC.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { questionsStep } from '../../../steps/5-questions.js';
import type { Prompter } from '../../../steps/state.js';
import type { Context } from '../../../src/context.js';
import type { Answers } from '../../../src/model/answers.js';
import fs from 'node:fs';
import path from 'node:path';
import { format, type Translate } from '../../../src/i18n.js';
import { PROJECT } from '../../_helpers/roots.js';
import { detectHost } from '../../../src/detect/index.js';
import { RootFs } from '../../../src/system/rootfs.js';
import { guideRoot } from './roots.js';

test('questions in order with defaults; internal.nic = the LAN NIC is refused with the localized message', async () => {
  const host = await detectHost(new RootFs(guideRoot({ eth1: true })), { live: false, ip: async () => '[]' });
  // src/i18n.ts finds locales/ from dist/; under tsx the test reads them itself.
  const en = JSON.parse(fs.readFileSync(path.join(PROJECT, 'locales/en.json'), 'utf8')) as Record<string, string>;
  const t: Translate = (key, params) => format(en[key] ?? key, params);
  const asked: string[] = [];
  const refusals: string[] = [];
  const prompter: Prompter = {
    async select(q) { asked.push(`select ${q.message} [${String(q.default)}]`); return q.default!; },
    async checkbox(q) { asked.push(`checkbox ${q.message}`); return q.choices.filter((c) => c.checked).map((c) => c.value); },
    async input(q) {
      asked.push(`input ${q.message} [${q.default}]`);
      if (q.message === t('q.internalDummy.nic')) {
        const no = q.validate!('eth0');
        refusals.push(String(no));
        assert.is(q.validate!('eth1'), true);
        return 'eth1';
      }
      return q.default ?? '';
    },
    async confirm(q) { asked.push(`confirm ${q.message}`); return q.default ?? true; },
  };
  const answers: Answers = { recipe: 'internal-dummy' };
  const ctx = { t, interactive: true } as unknown as Context;
  await questionsStep({ ctx, answers, ask: prompter, host });
  assert.equal(asked, [
    `select ${t('q.internalDummy.wanNic')} [eth0]`,
    `input ${t('q.internalDummy.wanBridge')} [xenbr0]`,
    `input ${t('q.internalDummy.nic')} []`,
    `input ${t('q.internalDummy.bridge')} [xenbr1]`,
    `input ${t('q.internalDummy.address')} [192.168.200.1/24]`,
    `checkbox ${t('q.internalDummy.guests')}`,
    `confirm ${t('q.antispoof')}`,
  ]);
  assert.match(refusals[0], /internal\.nic: "eth0" is the LAN NIC/);
  assert.is(answers['internal.nic'], 'eth1');
  assert.equal(answers.guests, ['centos51u', 'centos51u2']);
});

test.run();
