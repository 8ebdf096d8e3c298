// The wizard asks internal-l2's questions in the guide's order with detection's defaults, in both
// languages, and a typed answer the recipe would refuse is refused at the prompt with its message.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { questionsStep } from '../../../steps/5-questions.js';
import type { Prompter } from '../../../steps/state.js';
import type { Context } from '../../../src/context.js';
import type { Answers } from '../../../src/model/answers.js';
import type { HostFacts } from '../../../src/model/host.js';
import fs from 'node:fs';
import path from 'node:path';
import { format, type Lang } from '../../../src/i18n.js';
import { PROJECT } from '../../_helpers/roots.js';

// The built translator finds locales/ next to dist/; from the sources, read them directly.
const translator = (lang: Lang) => {
  const messages = JSON.parse(fs.readFileSync(path.join(PROJECT, 'locales', `${lang}.json`), 'utf8')) as Record<string, string>;
  return (key: string, params?: Record<string, string | number>) => format(messages[key] ?? key, params);
};

const host: HostFacts = {
  root: '/', profile: 'xl', backend: 'ifupdown', linkSource: 'sysfs',
  links: [{ name: 'eno1', mac: '3c:ec:ef:12:34:56', master: null, isBridge: false, ports: [] }],
  routes: [{ dev: 'eno1', dst: '192.168.1.0/24', gateway: null }], defaultRouteNic: 'eno1', networkScript: null,
  libvirtNetworks: [{ name: 'default', path: '/etc/libvirt/qemu/networks/default.xml', bridge: 'virbr0', forwardMode: 'nat', autostart: true, autostartPath: null }],
  guests: [
    { name: 'web1', definitions: [{ kind: 'xm', path: '/etc/xen/web1.cfg', vifs: [{ index: 0, mac: null, bridge: 'virbr0', keys: {} }] }] },
    { name: 'db1', definitions: [{ kind: 'xm', path: '/etc/xen/db1.cfg', vifs: [{ index: 0, mac: null, bridge: 'xenbr0', keys: {} }] }] },
  ],
  macsInUse: [],
};

interface Asked { kind: string; message: string; default?: unknown; checked?: string[] }

function fake(typed: string[], asked: Asked[], refusals: string[]): Prompter {
  return {
    async select(q) { asked.push({ kind: 'select', message: q.message, default: q.default }); return q.default!; },
    async checkbox(q) {
      asked.push({ kind: 'checkbox', message: q.message, checked: q.choices.filter((c) => c.checked).map((c) => String(c.value)) });
      return q.choices.filter((c) => c.checked).map((c) => c.value);
    },
    async input(q) {
      asked.push({ kind: 'input', message: q.message, default: q.default });
      // The first typed value for this prompt may be refused; then the default is taken.
      const v = typed.shift();
      if (v !== undefined) {
        const verdict = q.validate?.(v);
        if (verdict === true) return v;
        refusals.push(String(verdict));
      }
      return q.default!;
    },
    async confirm(q) { asked.push({ kind: 'confirm', message: q.message, default: q.default }); return q.default!; },
  };
}

async function run(lang: Lang, typed: string[]) {
  const asked: Asked[] = [];
  const refusals: string[] = [];
  const answers: Answers = { recipe: 'internal-l2' };
  const ctx = { t: translator(lang), interactive: true, lang } as unknown as Context;
  await questionsStep({ ctx, answers, ask: fake(typed, asked, refusals), host });
  return { asked, refusals, answers };
}

test('questions in order, with detection\'s defaults (seed 000 lines 89–191)', async () => {
  const { asked, answers } = await run('en', []);
  assert.equal(asked.map((a) => a.kind), ['select', 'checkbox', 'input', 'input', 'input', 'checkbox', 'confirm']);
  assert.is(asked[0].default, 'eno1');
  assert.equal(asked[1].checked, ['web1'], 'only the guest on libvirt\'s NAT bridge moves');
  assert.equal(asked.slice(2, 5).map((a) => a.default), ['virnet1', 'virbr1', '192.168.200.1/24']);
  assert.equal(asked[5].checked, ['web1', 'db1'], 'every guest gets the second NIC');
  assert.is(asked[6].default, true);
  assert.equal([answers['internal.network'], answers['internal.bridge'], answers['internal.address'], answers['internal.ipForwardOff']], ['virnet1', 'virbr1', '192.168.200.1/24', true]);
  assert.ok(asked.every((a) => !a.message.includes('{') && !a.message.startsWith('q.')), JSON.stringify(asked));
});

test('a network name, bridge or address the recipe refuses is refused at the prompt, in Japanese too', async () => {
  const en = await run('en', ['virnet/1', 'vir br1', '192.168.200.1']);
  assert.is(en.refusals.length, 3, en.refusals.join('\n'));
  assert.match(en.refusals[0], /libvirt refuses the network name "virnet\/1"/);
  assert.match(en.refusals[1], /"vir br1"/);
  assert.match(en.refusals[2], /"192\.168\.200\.1" is not an IPv4 address with a prefix/);
  const ja = await run('ja', ['virnet/1']);
  assert.match(ja.refusals[0], /libvirt が受け付けません/);
  assert.match(ja.asked[2].message, /内部専用 libvirt ネットワーク/);
});

test.run();
