// Temp and terminal hygiene: the demo's temp copy is gone when the wizard exits (unless
// --keep-demo), its symlinks exist also where npm dropped them; NO_COLOR, TERM=dumb and a non-TTY
// get no colour; detect says plainly when a root is not a Xen dom0; diffs cannot be misread.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PROJECT, copyFixture, runCli, tempDir } from '../_helpers/roots.js';
import { runMain } from '../_helpers/inProcess.js';

const demoCopies = (dir: string) => fs.readdirSync(dir).filter((e) => e.startsWith('xen-net-wizard-demo-'));

function symlinksUnder(root: string): Record<string, string> {
  const links: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isSymbolicLink()) links[`/${path.relative(root, full)}`] = fs.readlinkSync(full);
      else if (e.isDirectory()) walk(full);
    }
  };
  walk(root);
  return links;
}

test('demo/symlinks.json lists exactly the symlinks of demo/root (what npm pack would drop)', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT, 'demo/symlinks.json'), 'utf8')) as { links: Record<string, string> };
  assert.equal(manifest.links, symlinksUnder(path.join(PROJECT, 'demo/root')));
});

test('the demo copy is removed on exit: a full non-interactive run, and a run refused with exit 2', () => {
  const tmp = tempDir('xnw-tmpdir-');
  const full = runCli(['--recipe', 'single-bridge', '--yes'], { env: { TMPDIR: tmp } });
  assert.is(full.status, 0, full.stderr);
  assert.match(full.stdout, /Done: run /);
  const refused = runCli([], { env: { TMPDIR: tmp } });
  assert.is(refused.status, 2, 'no TTY and no recipe');
  assert.equal(demoCopies(tmp), [], 'no xen-net-wizard-demo-* left behind');
});

test('--keep-demo keeps the copy, says where, and the copy has the demo symlinks', () => {
  const tmp = tempDir('xnw-tmpdir-');
  const r = runCli(['--recipe', 'single-bridge', '--yes', '--keep-demo'], { env: { TMPDIR: tmp } });
  assert.is(r.status, 0, r.stderr);
  const [copy] = demoCopies(tmp);
  assert.ok(copy, 'kept');
  assert.ok(r.stderr.includes(`Kept the demo dom0's copy: ${path.join(tmp, copy)}`), r.stderr);
  // The run disabled default's autostart (the link is gone) and kept web1's /etc/xen/auto link.
  assert.is(fs.readlinkSync(path.join(tmp, copy, 'etc/xen/auto/web1.cfg')), '../web1.cfg');
  assert.not.ok(fs.existsSync(path.join(tmp, copy, 'etc/libvirt/qemu/networks/autostart/default.xml')));
  assert.match(r.stderr, /\[10\/10\]/, 'all ten steps: net-destroy and net-autostart --disable included');
});

/** The command in a pseudo-terminal (util-linux script), so isTTY is true as for a person. */
function inTty(argv: string[], env: Record<string, string>): string {
  const line = ['node', path.join(PROJECT, 'bin/xen-net-wizard.js'), ...argv].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', line, '/dev/null'], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...env }, input: '' });
  assert.is(r.status, 0, r.stderr + r.stdout);
  return r.stdout;
}

test('colour: on in a terminal, off with NO_COLOR, TERM=dumb, --no-color and without a terminal', () => {
  const root = copyFixture('centos5');
  const plan = ['plan', '--root', root, '--recipe', 'single-bridge'];
  const ESC = '\x1b[';
  assert.ok(inTty(plan, { TERM: 'xterm-256color' }).includes(ESC), 'a terminal gets colour (the control)');
  assert.not.ok(inTty(plan, { TERM: 'dumb' }).includes(ESC), 'TERM=dumb');
  assert.not.ok(inTty(plan, { TERM: 'xterm-256color', NO_COLOR: '1' }).includes(ESC), 'NO_COLOR');
  assert.not.ok(inTty([...plan, '--no-color'], { TERM: 'xterm-256color' }).includes(ESC), '--no-color');
  const piped = runCli(plan, { env: { NO_COLOR: '', TERM: 'xterm-256color' } });
  assert.not.ok(piped.stdout.includes(ESC) || piped.stderr.includes(ESC), 'not a terminal');
});

test('detect on a root that is not a Xen dom0 says so, and names what it found instead', async () => {
  const root = tempDir('xnw-notdom0-');
  fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
  for (const lang of ['en', 'ja']) {
    const r = await runMain(['detect', '--root', root, '--lang', lang]);
    assert.is(r.status, 0, r.stderr);
    assert.not.match(r.stdout, /^(profile|プロファイル):/m, 'no profile claimed');
    assert.match(r.stdout, lang === 'en' ? /not a Xen dom0: none of \/etc\/xen\/xl\.conf, \/etc\/xen\/xend-config\.sxp/ : /Xen の dom0 ではありません/);
    assert.match(r.stdout, lang === 'en' ? /network backend: unknown \(none of \/etc\/network\/interfaces/ : /ネットワークバックエンド: 不明 \(/);
  }
  const json = JSON.parse((await runMain(['detect', '--root', root, '--json'])).stdout) as { xen: { dom0: boolean; toolstackConfigs: string[] } };
  assert.equal(json.xen, { dom0: false, toolstackConfigs: [], controlDomain: null });
  fs.writeFileSync(path.join(root, 'etc/network-interfaces-placeholder'), '');
  const dom0 = await runMain(['detect', '--root', copyFixture('centos5')]);
  assert.match(dom0.stdout, /^profile: xend$/m);
  assert.not.match(dom0.stdout, /not a Xen dom0/);
});

test('diffs: header and annotations outside the content, every content line behind the gutter, both languages', async () => {
  const root = copyFixture('rhel-xl');
  for (const [lang, newFile] of [['en', 'new file, mode 0644'], ['ja', '新規ファイル、パーミッション 0644']]) {
    const out = (await runMain(['plan', '--root', root, '--recipe', 'single-bridge', '--lang', lang])).stdout;
    const lines = out.split('\n');
    const top = lines.findIndex((l) => l === `┌─ /etc/sysconfig/network-scripts/ifcfg-xenbr0 — ${newFile}`);
    assert.ok(top >= 0, out);
    const end = lines.indexOf('└─', top);
    const body = lines.slice(top + 1, end);
    assert.ok(body.length > 5);
    assert.ok(body.every((l) => l.startsWith('│ ')), body.join('\n'));
    assert.ok(body.includes('│ +NM_CONTROLLED=no') || body.some((l) => /^│ \+[A-Z_]+=/.test(l)));
    // Nothing is appended to a content line any more.
    assert.not.ok(lines.some((l) => /^│ [+-].*\((new file|新規ファイル)/.test(l)));
  }
});

test.run();
