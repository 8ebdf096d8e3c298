// Every message, in both languages, rendered as the wizard prints it on an 80-column terminal:
// no line wider than 80 columns, none starting with 、。) 」 — and the CLI's own screens too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, PROJECT, runCli, tempDir, writeJson } from '../_helpers/roots.js';
import { screenFaults } from '../_helpers/screen.js';
import { format } from '../../src/i18n.js';
import { displayWidth, formatColumns, wrapLabelled, wrapText } from '../../src/ui/textWidth.js';

const load = (lang: string) => JSON.parse(fs.readFileSync(path.join(PROJECT, `locales/${lang}.json`), 'utf8')) as Record<string, string>;

/** Values as long as real ones: paths under a copied root, NIC lists, journal directories. */
const SAMPLE: Record<string, string> = {
  file: '/srv/xen-copies/dom0-a/etc/xen/scripts/network-bridge-custom',
  path: '/srv/xen-copies/dom0-a/etc/sysconfig/network-scripts/ifcfg-eth0',
  root: '/tmp/xen-net-wizard-demo-AbC123',
  journal: '/var/lib/xen-net-wizard/runs/20261129-171500-ab12cd',
  known: 'eno1, eno2, eth0, eth1, eth2, peth0',
  detail: 'RTNETLINK answers: File exists (exit code 2)',
  diff: '--- written by the run\n+++ now\n@@ -1,3 +1,4 @@\n auto lo\n+# added by hand after apply\n iface lo inet loopback',
  command: 'ip route add 192.168.122.0/24 via 192.168.0.3 dev eth1',
  addresses: '192.168.1.1, 192.168.1.20',
  choices: 'ifcfg, ifupdown, networkmanager, networkd',
  modes: 'balance-rr, active-backup, balance-xor, broadcast, 802.3ad, balance-tlb, balance-alb',
  value: '"xenbr0123456789ab"',
  guests: 'centos51u, centos51u2, fedora8',
  vifs: 'centos51u#0, centos51u2#0, fedora8#1',
  id: '20261129-171500-ab12cd',
  where: '/etc/network/interfaces line 12',
  spec: 'mac=00:16:3e:17:d4:87,bridge=virbr0',
  hook: '/etc/libvirt/hooks/network',
  files: '/etc/network/interfaces, /etc/xen/xl.conf',
};
const sample = (name: string) => SAMPLE[name] ?? (/^(?:line|column|count|index|n|bytes|size|limit|min|seconds|pid|restored|removed|from|to)$/.test(name) ? '1234' : `${name}-value`);

function render(key: string, text: string, lang: 'en' | 'ja'): string {
  const params = Object.fromEntries([...text.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], sample(m[1])]));
  const message = format(text, params);
  if (key.startsWith('help.')) return formatColumns(message, 80);
  if (key.startsWith('error.')) return wrapLabelled(lang === 'ja' ? 'エラー: ' : 'error: ', message, 80);
  if (key.startsWith('note.')) return wrapLabelled('* ', message, 80);
  if (key.startsWith('instruction.')) return wrapLabelled('> ', message, 80);
  return wrapText(message, 80);
}

for (const lang of ['en', 'ja'] as const) {
  test(`${lang}: every message fits 80 columns and keeps kinsoku`, () => {
    const messages = load(lang);
    const faults = Object.entries(messages).flatMap(([key, text]) => screenFaults(render(key, text, lang), 80).map((f) => `${key}: ${f}`));
    assert.equal(faults, []);
    assert.ok(Object.keys(messages).length > 250);
  });
}

test('the renderer is the one the CLI uses: an unwrapped message would fail the check', () => {
  const long = load('ja')['note.internalVifs'];
  assert.ok(screenFaults(long, 80).length > 0, 'the raw note is wider than 80 columns');
  assert.equal(screenFaults(render('note.internalVifs', long, 'ja'), 80), []);
});

for (const lang of ['en', 'ja']) {
  test(`${lang}: --help, recipes and every per-command help fit 80 columns`, () => {
    for (const args of [['--help'], ['recipes'], ...['apply', 'plan', 'detect', 'rollback', 'mac', 'recipes'].map((c) => [c, '--help'])]) {
      const r = runCli([...args, '--lang', lang]);
      assert.is(r.status, 0, r.stderr);
      assert.equal(screenFaults(r.stdout, 80), [], args.join(' '));
    }
  });
}

test('ja: --help shows no English placeholder (FILE, DIR, N, SEC)', () => {
  const help = ['--help', 'apply --help', 'mac --help', 'rollback --help'].map((c) => runCli([...c.split(' '), '--lang', 'ja']).stdout).join('\n');
  assert.not.match(help, /\b(?:FILE|DIR|SEC|N)\b(?![\w-])|\[ID\]/);
  assert.match(help, /--answers ファイル/);
  assert.match(help, /--count 個数|-n 個数/);
});

/** Lines that are the wizard's prose, not file content (diff lines) or commands to copy. */
const prose = (text: string) => text.split('\n').filter((l) => !/^(?:[-+@│]| \S|\s{0,6}#|\s{6,}\S)/.test(l)).join('\n');

for (const lang of ['en', 'ja']) {
  test(`${lang}: apply without a terminal (plan, listr2's simple progress, result) fits 80 columns`, () => {
    const root = copyFixture('routed-centos5');
    const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'routed-lan' });
    const r = runCli(['apply', '--root', root, '--answers', answers, '--yes', '--lang', lang]);
    assert.is(r.status, 0, r.stderr);
    assert.match(r.rawStderr, /✔ /, 'the progress is there');
    assert.equal(screenFaults(prose(r.rawStderr), 80), []);
    assert.equal(screenFaults(prose(r.stdout), 80), []);
  });
}

test('ja: rollback --list pads by display width, so the recipe column lines up under Japanese statuses', () => {
  const root = copyFixture('debian12');
  const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge' });
  const env = { LANG: 'ja_JP.UTF-8' };
  assert.is(runCli(['apply', '--root', root, '--answers', answers, '--yes'], { env }).status, 0);
  assert.is(runCli(['rollback', '--root', root], { env }).status, 0);
  assert.is(runCli(['apply', '--root', root, '--answers', answers, '--yes'], { env }).status, 0);
  const list = runCli(['rollback', '--list', '--root', root], { env });
  assert.is(list.status, 0, list.stderr);
  const rows = list.stdout.trimEnd().split('\n').filter((r) => r.includes('single-bridge'));
  assert.is(rows.length, 2, list.stdout);
  assert.equal(screenFaults(list.stdout, 80), []);
  assert.match(list.stdout, /ロールバック済み/);
  assert.match(list.stdout, /適用済み/);
  const columns = rows.map((r) => displayWidth(r.slice(0, r.indexOf('single-bridge'))));
  assert.is(columns[0], columns[1], list.stdout);
});

test.run();
