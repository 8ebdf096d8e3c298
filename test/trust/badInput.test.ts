// The bad-input table (issue 7, part 1): every entry point — answers file, interactive answers,
// flags, config files on disk, XML, environment — and for each row: exit 2, a message naming the
// file/line/value at fault in the chosen language, and a sha256-identical tree (journal included).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, runCli, tempDir, treeFingerprint, fingerprintDiff, PROJECT, type CliResult } from '../_helpers/roots.js';
import { openToNobody, runCliAsNobody } from '../_helpers/asNobody.js';
import { needsRoot, testUnless } from '../_helpers/skip.js';
import { RootFs } from '../../src/system/rootfs.js';
import { detectHost } from '../../src/detect/index.js';
import { format, type Lang, type Translate } from '../../src/i18n.js';
import { nicStep } from '../../steps/2-nic.js';
import { macsStep } from '../../steps/4-macs.js';
import type { Prompter } from '../../steps/state.js';
import type { Context } from '../../src/context.js';
import { screenFaults } from '../_helpers/screen.js';

interface Case {
  name: string;
  fixture?: string;
  /** Answers file content: an object (written as JSON) or raw text. */
  answers?: object | string;
  /** Change the root before the run (a broken guest config, …); gets the answers file's path too. */
  prepare?: (root: string, answers: string) => void;
  args?: (root: string, answers: string) => string[];
  /** The message must contain each of these. */
  says: (string | RegExp)[];
  /** Environment entry point: the language comes from LANG (ja rows assert the Japanese message). */
  lang?: 'ja';
  /** Run as nobody (what a real user without root sees: mode 000, a read-only root). */
  asNobody?: boolean;
}

const sysLink = (root: string, name: string, mac: string) => {
  fs.mkdirSync(path.join(root, 'sys/class/net', name), { recursive: true });
  fs.writeFileSync(path.join(root, 'sys/class/net', name, 'address'), `${mac}\n`);
};
/** Deterministic binary garbage (NULs, high bytes, stray newlines). */
const garbage = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24));
const domainXml = (name: string, itf: string) =>
  `<domain type='xen'>\n  <name>${name}</name>\n  <devices>\n${itf}  </devices>\n</domain>\n`;

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

  // ---- MACs -------------------------------------------------------------------------------------
  { name: 'MAC of three octets', answers: { ...R, macs: { centos51u2: '00:16:3e' } }, says: ['"00:16:3e"', 'centos51u2'], lang: 'ja' },
  { name: 'broadcast MAC', answers: { ...R, macs: { centos51u2: 'ff:ff:ff:ff:ff:ff' } }, says: ['ff:ff:ff:ff:ff:ff'] },
  { name: 'all-zero MAC', answers: { ...R, macs: { centos51u2: '00:00:00:00:00:00' } }, says: ['00:00:00:00:00:00', 'centos51u2'], lang: 'ja' },
  {
    name: 'the same MAC twice within one run',
    answers: { ...R, macs: { centos51u: '00:16:3e:aa:bb:cc', centos51u2: '00:16:3e:aa:bb:cc' } },
    says: ['00:16:3e:aa:bb:cc', 'centos51u2', 'in use'],
  },
  {
    name: 'MAC of another libvirt domain (not moved)',
    prepare: (root) => fs.writeFileSync(path.join(root, 'etc/xen/xml/other.xml'),
      domainXml('other', "    <interface type='bridge'>\n      <mac address='00:16:3e:5e:5e:5e'/>\n      <source bridge='xenbr9'/>\n    </interface>\n")),
    answers: { ...R, macs: { centos51u2: '00:16:3e:5e:5e:5e' } },
    says: ['00:16:3e:5e:5e:5e', 'in use'],
  },

  // ---- names ------------------------------------------------------------------------------------
  { name: 'bridge name of exactly 16 bytes', answers: { ...R, 'wan.bridge': 'xenbr0123456789a' }, says: ['xenbr0123456789a', '16', '15'] },
  { name: 'empty bridge name', answers: { ...R, 'wan.bridge': '' }, says: ['wan.bridge', '""', ' 0 '] },
  { name: 'bridge name with a leading dash', answers: { ...R, 'wan.bridge': '-xenbr0' }, says: ['"-xenbr0"', '"-"'], lang: 'ja' },
  { name: 'bridge name ".."', answers: { ...R, 'wan.bridge': '..' }, says: ['".."'] },
  { name: 'bridge name with shell metacharacters', answers: { ...R, 'wan.bridge': 'br$(id)' }, says: ['"br$(id)"'] },
  { name: 'NIC name with a newline', answers: { ...R, 'wan.nic': 'eth0\nrm' }, says: ['wan.nic'], lang: 'ja' },

  // ---- NICs -------------------------------------------------------------------------------------
  { name: 'wan.nic that is the loopback', answers: { ...R, 'wan.nic': 'lo' }, says: ['"lo"', 'loopback'] },
  {
    name: 'wan.nic that is already a bond slave',
    prepare: (root) => {
      sysLink(root, 'eth1', '00:19:b9:3a:66:13');
      sysLink(root, 'bond0', '00:19:b9:3a:66:13');
      fs.mkdirSync(path.join(root, 'sys/class/net/bond0/bonding'));
      fs.symlinkSync('../bond0', path.join(root, 'sys/class/net/eth1/master'));
    },
    answers: { ...R, 'wan.nic': 'eth1' },
    says: ['"eth1"', 'bond0'],
  },

  // ---- config files on disk ---------------------------------------------------------------------
  {
    name: 'binary garbage as /etc/network/interfaces',
    fixture: 'debian12',
    prepare: (root) => fs.writeFileSync(path.join(root, 'etc/network/interfaces'), garbage(4096)),
    answers: R,
    says: ['/etc/network/interfaces', /line \d+/],
  },
  {
    name: 'guest config in Latin-1, not UTF-8',
    prepare: (root) => fs.writeFileSync(path.join(root, 'etc/xen/latin'), Buffer.from('name = "latin"\n# caf\xe9\nvif = [ "bridge=virbr0" ]\n', 'latin1')),
    answers: R,
    says: ['/etc/xen/latin', 'line 2', 'UTF-8'],
  },
  {
    name: 'guest config in Latin-1 beside notes in Latin-1 (the notes are not ours to judge, the config is)',
    prepare: (root) => {
      fs.writeFileSync(path.join(root, 'etc/xen/NOTES'), Buffer.from('R\xe9seau: voir le guide\n', 'latin1'));
      fs.writeFileSync(path.join(root, 'etc/xen/latin2'), Buffer.from('name = "latin2"\nvif = [ "bridge=virbr0" ] # r\xe9seau\n', 'latin1'));
    },
    answers: R,
    says: ['/etc/xen/latin2', 'line 2'],
  },
  {
    name: 'a 50 MB file where a guest config is read',
    prepare: (root) => fs.writeFileSync(path.join(root, 'etc/xen/huge'), Buffer.alloc(50 * 1024 * 1024, 0x61)),
    answers: R,
    says: ['/etc/xen/huge', '52428800'],
  },
  {
    name: 'empty libvirt network XML',
    prepare: (root) => fs.writeFileSync(path.join(root, 'etc/libvirt/qemu/networks/default.xml'), ''),
    answers: R,
    says: ['/etc/libvirt/qemu/networks/default.xml'],
    lang: 'ja',
  },
  {
    name: 'ifcfg file with CRLF line endings',
    fixture: 'rhel-xl',
    prepare: (root) => {
      const f = path.join(root, 'etc/sysconfig/network-scripts/ifcfg-eth0');
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/\n/g, '\r\n'));
    },
    answers: R,
    says: ['/etc/sysconfig/network-scripts/ifcfg-eth0', 'line 1', 'CR'],
  },
  {
    name: 'xl.conf that is a directory',
    fixture: 'debian12',
    prepare: (root) => {
      fs.rmSync(path.join(root, 'etc/xen/xl.conf'));
      fs.mkdirSync(path.join(root, 'etc/xen/xl.conf'));
    },
    answers: R,
    says: ['/etc/xen/xl.conf', 'directory'],
  },
  {
    name: 'xl.conf that is a dangling symlink',
    fixture: 'debian12',
    prepare: (root) => {
      fs.rmSync(path.join(root, 'etc/xen/xl.conf'));
      fs.symlinkSync('xl.conf.dpkg-old', path.join(root, 'etc/xen/xl.conf'));
    },
    answers: R,
    says: ['/etc/xen/xl.conf', 'xl.conf.dpkg-old'],
    lang: 'ja',
  },
  {
    name: 'guest config of mode 000 (run as nobody)',
    asNobody: true,
    prepare: (root) => fs.chmodSync(path.join(root, 'etc/xen/centos51u2'), 0o000),
    answers: R,
    args: (root, a) => ['plan', '--root', root, '--answers', a],
    says: ['/etc/xen/centos51u2', 'EACCES'],
  },

  // ---- XML --------------------------------------------------------------------------------------
  {
    name: 'two <source> in one interface',
    prepare: (root) => fs.writeFileSync(path.join(root, 'etc/xen/xml/two.xml'),
      domainXml('two', "    <interface type='bridge'>\n      <source bridge='virbr0'/>\n      <source bridge='xenbr0'/>\n    </interface>\n")),
    answers: R,
    says: ['/etc/xen/xml/two.xml', 'line 6', '<source>'],
  },
  {
    name: 'entity expansion (billion laughs) is refused, not expanded',
    prepare: (root) => {
      const ents = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)];
      fs.writeFileSync(path.join(root, 'etc/xen/xml/lol.xml'), `<?xml version="1.0"?>\n<!DOCTYPE domain [\n${ents.join('\n')}\n]>\n<domain type='xen'>\n  <name>&lol9;</name>\n</domain>\n`);
    },
    answers: R,
    says: ['/etc/xen/xml/lol.xml', '15', 'entity'],
    lang: 'ja',
  },

  // ---- answers ----------------------------------------------------------------------------------
  { name: 'answers with a "__proto__" key', answers: '{ "recipe": "single-bridge", "__proto__": { "wan.nic": "eth9" } }', says: ['"__proto__"', 'wan.nic'] },
  { name: 'answers with a "constructor" key', answers: '{ "recipe": "single-bridge", "constructor": "x" }', says: ['"constructor"'], lang: 'ja' },
  { name: 'macs given as a list', answers: { ...R, macs: ['00:16:3e:00:00:01'] }, says: ['macs'] },
  { name: 'wan.bridge given as a number', answers: { ...R, 'wan.bridge': 0 }, says: ['wan.bridge', '0'] },
  { name: 'empty answers file', answers: '', says: ['a.json', 'line 1'] },
  {
    name: 'answers file that is a directory',
    args: (root) => ['apply', '--root', root, '--answers', root, '--yes'],
    says: [/cannot read the answers file \S*root/],
  },
  {
    name: 'answers file that is a dangling symlink',
    prepare: (_, a) => fs.symlinkSync('/nonexistent/answers.json', a),
    args: (root, a) => ['apply', '--root', root, '--answers', a, '--yes'],
    says: ['a.json'],
  },

  // ---- flags and --root -------------------------------------------------------------------------
  { name: '--lang outside ja/en', args: (root) => ['plan', '--root', root, '--lang', 'fr'], says: ['"fr"'] },
  { name: '--confirm-timeout that is not a number', args: (root) => ['plan', '--root', root, '--confirm-timeout', '2m'], says: ['--confirm-timeout', '"2m"'] },
  { name: 'mac -n 0', args: (root) => ['mac', '--root', root, '-n', '0'], says: ['-n', '0'] },
  { name: '--offline with --live', args: (root) => ['apply', '--root', root, '--offline', '--live'], says: ['--offline', '--live'], lang: 'ja' },
  { name: '--root that is a file', args: (root) => ['plan', '--root', path.join(root, 'etc/redhat-release')], says: ['etc/redhat-release'] },
  {
    name: '--root that is not writable (run as nobody)',
    asNobody: true,
    answers: R,
    says: [/--root \S+root/, 'writable'],
  },
];

const NOTHING_CHANGED: Record<Lang, RegExp> = { en: /^error: [\s\S]*Nothing was changed\.$/m, ja: /^エラー: [\s\S]*何も変更していません/m };

for (const c of cases) {
  // Running as nobody goes through setpriv, which needs root: such a case is counted as skipped without it.
  testUnless(test, c.asNobody ? needsRoot() : null, `bad input: ${c.name} → exit 2, nothing changed${c.lang ? ` (LANG=${c.lang})` : ''}`, () => {
    const root = copyFixture(c.fixture ?? 'centos5');
    const dir = tempDir();
    const answers = path.join(dir, 'a.json');
    if (c.answers !== undefined) fs.writeFileSync(answers, typeof c.answers === 'string' ? c.answers : JSON.stringify(c.answers));
    c.prepare?.(root, answers);
    const before = treeFingerprint(root);
    const args = c.args ? c.args(root, answers) : ['apply', '--root', root, '--answers', answers, '--yes'];
    const env = c.lang === 'ja' ? { LANG: 'ja_JP.UTF-8' } : {};
    let r: CliResult;
    if (c.asNobody) {
      openToNobody(root);
      openToNobody(answers);
      r = runCliAsNobody(args, env);
    } else r = runCli(args, { env });
    assert.is(r.status, 2, `exit ${r.status}\n${r.stderr}`);
    for (const s of c.says) {
      if (typeof s === 'string') assert.ok(r.stderr.includes(s), `message lacks "${s}": ${r.stderr}`);
      else assert.match(r.stderr, s);
    }
    assert.match(r.stderr, NOTHING_CHANGED[c.lang ?? 'en']);
    assert.not.match(r.stderr, /internal error|内部エラー|\n\s+at /, 'a message, not a stack trace');
    assert.equal(screenFaults(r.rawStderr, 80), [], 'the message fits 80 columns, kinsoku kept');
    assert.equal(fingerprintDiff(before, treeFingerprint(root)), []);
  });
}

// ---- interactive answers: the wizard re-asks with the same localized message (no exit there) ----
const INTERACTIVE: { name: string; step: 'bridge' | 'mac'; value: string; says: string }[] = [
  { name: 'bridge name over 15 bytes', step: 'bridge', value: 'xenbr0123456789ab', says: '17' },
  { name: 'bridge name with a space', step: 'bridge', value: 'xen br0', says: '"xen br0"' },
  { name: 'bridge name with $(…)', step: 'bridge', value: '$(reboot)', says: '"$(reboot)"' },
  { name: 'bridge name with a leading dash', step: 'bridge', value: '-br', says: '"-br"' },
  { name: 'empty bridge name', step: 'bridge', value: '', says: '""' },
  { name: 'MAC with a non-hex octet', step: 'mac', value: '00:16:3e:zz:00:01', says: '00:16:3e:zz:00:01' },
  { name: 'multicast MAC', step: 'mac', value: '01:00:5e:00:00:01', says: '01:00:5e:00:00:01' },
  { name: 'MAC of another guest', step: 'mac', value: '00:16:3e:17:d4:87', says: '00:16:3e:17:d4:87' },
];

for (const lang of ['en', 'ja'] as const) {
  test(`interactive answers (${lang}): ${INTERACTIVE.length} bad values are refused with the localized message and asked again`, async () => {
    const fsRoot = new RootFs(copyFixture('centos5'));
    const host = await detectHost(fsRoot, { live: false, ip: async () => '[]' });
    // The locale files of this checkout, as the CLI reads them.
    const messages = JSON.parse(fs.readFileSync(path.join(PROJECT, 'locales', `${lang}.json`), 'utf8')) as Record<string, string>;
    const t: Translate = (key, params) => format(messages[key] ?? key, params);
    const ctx = { t, lang, interactive: true, err: () => {}, out: () => {} } as unknown as Context;
    for (const row of INTERACTIVE) {
      const said: (true | string)[] = [];
      const ask: Prompter = {
        select: async (q) => (row.step === 'mac' ? 'manual' : q.default ?? q.choices[0].value) as never,
        checkbox: async () => [],
        confirm: async () => true,
        input: async (q) => {
          said.push(q.validate?.(row.value) ?? true);
          return q.default ?? '';
        },
      };
      const answers = row.step === 'bridge' ? { recipe: 'single-bridge', 'wan.nic': 'eth0' } : { recipe: 'single-bridge', guests: ['centos51u2'] };
      await (row.step === 'bridge' ? nicStep : macsStep)({ ctx, host, answers, ask });
      assert.is(said.length, 1, `${row.name}: asked once`);
      const message = said[0];
      assert.type(message, 'string', `${row.name}: accepted`);
      assert.ok(String(message).includes(row.says), `${row.name}: ${message}`);
      if (lang === 'ja') assert.match(String(message), /[ぁ-んァ-ン一-龯]/, `${row.name}: not Japanese: ${message}`);
    }
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

test('not bad input: a Latin-1 note or a binary file in /etc/xen is not a guest config and does not stop a plan', () => {
  const root = copyFixture('centos5');
  fs.writeFileSync(path.join(root, 'etc/xen/NOTES'), Buffer.from('R\xe9seau: voir le guide\n', 'latin1'));
  fs.writeFileSync(path.join(root, 'etc/xen/blob'), garbage(2048));
  const a = path.join(tempDir(), 'a.json');
  fs.writeFileSync(a, JSON.stringify(R));
  const r = runCli(['plan', '--root', root, '--answers', a, '--json']);
  assert.is(r.status, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).steps.length > 0);
});

test('figures: bad-input rows', () => {
  const ja = cases.filter((c) => c.lang === 'ja').length;
  console.log(`\n  bad input: ${cases.length} command-line rows (${ja} in Japanese from LANG), ${INTERACTIVE.length} interactive values × 2 languages`);
  assert.ok(cases.length >= 40);
});

test.run();
