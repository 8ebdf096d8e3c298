// Help as admins know it from git, virsh and nmcli: `help [COMMAND]` and `COMMAND --help` with
// the command's own options and 2–3 examples, ≤ 80 display columns in both languages; did-you-mean;
// the man page from the same source, rendered by man -l; shell completion in real bash and zsh.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import stringWidth from 'string-width';
import { PROJECT, copyFixture, tempDir, writeJson } from '../_helpers/roots.js';
import { runMain } from '../_helpers/inProcess.js';
import { hasTmux, TmuxSession } from '../_helpers/tmux.js';
import { COMMAND_SPECS, GLOBAL_OPTIONS, OPTIONS } from '../../src/cli/spec.js';
import { closest } from '../../src/didYouMean.js';

const LANGS = ['en', 'ja'] as const;

for (const lang of LANGS) {
  for (const spec of COMMAND_SPECS) {
    const name = spec.name;
    test(`${lang}: help for ${name} — its own options, ${spec.examples.length} examples, ≤ 80 columns`, async () => {
      const viaFlag = await runMain(name === 'wizard' ? ['--help', '--lang', lang] : [name, '--help', '--lang', lang]);
      const viaHelp = await runMain(name === 'wizard' ? ['help', '--lang', lang] : ['help', name, '--lang', lang]);
      assert.is(viaFlag.status, 0, viaFlag.stderr);
      assert.is(viaHelp.status, 0, viaHelp.stderr);
      assert.is(viaHelp.stdout, viaFlag.stdout, '`help X` is `X --help`');
      const text = viaFlag.stdout;
      for (const option of [...spec.options, ...GLOBAL_OPTIONS]) {
        for (const flag of OPTIONS[option].flags) assert.ok(text.includes(flag), `${flag} listed`);
      }
      // No other command's options: plan's help does not offer --keep-demo or -n.
      const foreign = Object.keys(OPTIONS).filter((o) => !spec.options.includes(o as never) && !GLOBAL_OPTIONS.includes(o as never));
      for (const o of foreign) {
        if (name !== 'wizard') assert.not.match(text, new RegExp(`^\\s+(-\\w, )?${OPTIONS[o as keyof typeof OPTIONS].flags[0]}\\b`, 'm'), `${o} is not ${name}'s`);
      }
      assert.ok(spec.examples.length >= 2 && spec.examples.length <= 3);
      for (const example of spec.examples) assert.ok(text.includes(`    ${example}\n`), example);
      const wide = text.split('\n').filter((l) => stringWidth(l) > 80);
      assert.equal(wide, [], 'lines wider than 80 columns');
      if (lang === 'ja') {
        // Placeholders are translated, as the glossary asks (FILE → ファイル, N → 個数).
        assert.not.match(text, /\b(FILE|DIR|SEC|OPTIONS|COMMAND)\b/);
        assert.match(text, /使い方:/);
      }
    });
  }
}

test('the program help lists every command; `help help` and unknown topics behave', async () => {
  const r = await runMain(['--help']);
  for (const c of COMMAND_SPECS) if (c.name !== 'wizard') assert.match(r.stdout, new RegExp(`^  ${c.name}\\b`, 'm'), c.name);
  assert.is((await runMain(['help', 'help'])).stdout, (await runMain(['help', '--help'])).stdout);
  assert.match((await runMain(['help', 'help'])).stdout, /xen-net-wizard help \[COMMAND\]/);
  const bad = await runMain(['help', 'aply']);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /did you mean "apply"\?/);
});

test('did you mean: commands, options, answer ids (file and --set), in both languages', async () => {
  const cases: [string[], string][] = [
    [['pln'], 'plan'],
    [['rolback'], 'rollback'],
    [['plan', '--roo', 'x'], '--root'],
    [['apply', '--answer', 'x'], '--answers'],
    [['mac', '--jsno'], '--json'],
    [['plan', '--root', copyFixture('centos5'), '--set', 'wan.nik=eth0'], 'wan.nic'],
    [['plan', '--root', copyFixture('centos5'), '--answers', writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge', gusts: ['x'] })], 'guests'],
  ];
  for (const [argv, suggestion] of cases) {
    const en = await runMain([...argv, '--lang', 'en']);
    assert.is(en.status, 2, argv.join(' '));
    assert.ok(en.stderr.includes(`did you mean "${suggestion}"?`), en.stderr);
    const ja = await runMain([...argv, '--lang', 'ja']);
    assert.ok(ja.stderr.includes(`"${suggestion}" のことですか?`), ja.stderr);
  }
  assert.is(closest('frobnicate', ['plan', 'apply']), null, 'nothing near: no suggestion');
  assert.not.match((await runMain(['frobnicate'])).stderr, /did you mean/);
});

test('--set and --recipe answer on the command line, checked like an answers file', async () => {
  const root = copyFixture('debian12-3nic');
  const r = await runMain(['plan', '--root', root, '--recipe', 'bond-bridge', '--set', 'bond.mode=active-backup', '--set', 'bond.miimon=200', '--json']);
  assert.is(r.status, 0, r.stderr);
  const bond = (JSON.parse(r.stdout) as { steps: { file?: { after: string | null } }[] }).steps.map((s) => s.file?.after ?? '').join('\n');
  assert.match(bond, /bond-mode active-backup/);
  assert.match(bond, /bond-miimon 200/);
  const wrong = await runMain(['plan', '--root', root, '--set', 'bond.miimon=often']);
  assert.is(wrong.status, 2);
  assert.match(wrong.stderr, /bond\.miimon/);
  assert.is((await runMain(['plan', '--root', root, '--set', 'bond.mode'])).status, 2, 'ID=VALUE is required');
});

test('man page: generated from the help source, shipped via "man", rendered by man -l at 80 columns', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { man: string[]; files: string[] };
  // An array: npm's bin-links links only that form into share/man on a global install.
  assert.ok(Array.isArray(pkg.man) && pkg.man.length === 1);
  const page = path.join(PROJECT, pkg.man[0]);
  assert.ok(fs.existsSync(page), `${pkg.man[0]} is built by npm run build`);
  assert.ok(pkg.files.some((f) => pkg.man[0].replace(/^\.\//, '').startsWith(f)), 'the man page is in "files"');
  const r = spawnSync('man', ['--warnings', '-l', page], { encoding: 'utf8', env: { PATH: process.env.PATH, MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat', LANG: 'C.UTF-8' } });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr, '', 'no roff warnings');
  assert.ok(/^[\x00-\x7f]*$/.test(fs.readFileSync(page, 'utf8')), 'plain ASCII source: any groff reads it');
  const text = r.stdout.replace(/.\x08/g, '');
  assert.match(text, /^XEN-NET-WIZARD\(1\)/);
  for (const heading of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'OPTIONS', 'EXAMPLES', 'EXIT STATUS']) assert.match(text, new RegExp(`^${heading}$`, 'm'), heading);
  for (const c of COMMAND_SPECS) {
    if (c.name !== 'wizard') assert.match(text, new RegExp(`xen-net-wizard ${c.name}\\b`), c.name);
    for (const example of c.examples) assert.ok(text.includes(example), example);
  }
  for (const o of Object.values(OPTIONS)) for (const flag of o.flags) assert.ok(text.includes(flag), flag);
  assert.equal(text.split('\n').filter((l) => stringWidth(l) > 80), []);
});

/** A shell in tmux with xen-net-wizard on PATH and the completion loaded; Tab pressed after `typed`. */
async function complete(shell: TmuxSession, typed: string, expect: RegExp): Promise<void> {
  shell.send('C-u');
  shell.send('-l', typed);
  shell.send('Tab');
  await shell.waitFor(expect, 15_000);
  shell.send('C-u');
}

const CASES: [string, RegExp][] = [
  ['xen-net-wizard pl', /xen-net-wizard plan\b/],
  ['xen-net-wizard rollback --lis', /rollback --list\b/],
  ['xen-net-wizard plan --recipe bond-b', /--recipe bond-bridge\b/],
  ['xen-net-wizard apply --set bond.mo', /--set bond\.mode=/],
  ['xen-net-wizard apply --set bond.mode=active-b', /--set bond\.mode=active-backup\b/],
  ['xen-net-wizard --set antispoof=f', /--set antispoof=false\b/],
  ['xen-net-wizard help rollb', /help rollback\b/],
  ['xen-net-wizard completion z', /completion zsh\b/],
];

for (const sh of ['bash', 'zsh']) {
  test(`${sh} loads \`xen-net-wizard completion ${sh}\` and completes commands, options, recipe ids and answer ids`, async () => {
    const binDir = tempDir('xnw-complete-');
    fs.symlinkSync(path.join(PROJECT, 'bin/xen-net-wizard.js'), path.join(binDir, 'xen-net-wizard'));
    const ok = spawnSync(sh, ['-c', 'true']).status === 0;
    assert.ok(ok, `${sh} is installed by scripts/setup-test-deps.sh`);
    assert.ok(hasTmux(), 'tmux is installed by scripts/setup-test-deps.sh');
    const argv = sh === 'bash' ? ['bash', '--norc', '--noprofile', '-i'] : ['zsh', '-f', '-i'];
    const session = new TmuxSession(`complete-${sh}`, argv, { PATH: `${binDir}:${process.env.PATH}`, HOME: binDir, PS1: '$ ', TERM: 'xterm' });
    try {
      await session.waitFor(/\$ $/m);
      const load = sh === 'bash'
        ? 'source <(xen-net-wizard completion bash) && echo loaded-$?'
        : 'autoload -Uz compinit && compinit -u -D && source <(xen-net-wizard completion zsh) && echo loaded-$?';
      session.send('-l', load);
      session.send('Enter');
      await session.waitFor(/^loaded-0$/m);
      for (const [typed, expect] of CASES) await complete(session, typed, expect);
    } finally {
      session.kill();
    }
  });
}

test.run();
