// Injection (issue 7, part 4): names and answers holding `;`, `$(…)`, backticks, quotes, newlines
// and spaces never reach a shell. A scan of src/ and steps/ for shell strings; commands recorded by
// stand-ins arrive as the exact argv; interface names that cannot be legal are refused (exit 2);
// the generated network-bridge-custom wrapper quotes every value and refuses what it cannot quote.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { copyFixture, runCli, writeJson, tempDir, treeFingerprint, fingerprintDiff, PROJECT } from '../_helpers/roots.js';
import { canUseNetns, missingNetns, Netns } from '../_helpers/netns.js';
import { skipCheck } from '../_helpers/skip.js';
import { renderBridgeCustomScript } from '../../src/render/xend.js';
import { InputError } from '../../src/errors.js';

/** What an attacker (or an unlucky admin) puts in a name. */
const HOSTILE = ['a;touch PWNED', '$(touch PWNED)', '`touch PWNED`', `q'uote"d`, 'new\nline', 'sp ace', '-rf', '*', '$HOME', 'a|b&c>d'];

// ---- the source scan --------------------------------------------------------------------------------
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : /\.(ts|mjs|js)$/.test(e.name) ? [path.join(dir, e.name)] : []);
}
const CODE = [...sources(path.join(PROJECT, 'src')), ...sources(path.join(PROJECT, 'steps')), path.join(PROJECT, 'bin/xen-net-wizard.js')]
  .map((file) => ({ file: path.relative(PROJECT, file), text: fs.readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '') }));

/** The first argument of a call starting at `open` (just after its '('), up to the top-level comma. */
function firstArgument(text: string, open: number): { arg: string; hasSecond: boolean } {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) return { arg: text.slice(open, i).trim(), hasSecond: false };
      depth--;
    } else if (c === ',' && depth === 0) return { arg: text.slice(open, i).trim(), hasSecond: true };
  }
  return { arg: text.slice(open).trim(), hasSecond: false };
}

/** Every shell-string hazard in one file's code, and how many process calls it checked. */
function scanCode(file: string, text: string): { found: string[]; calls: number } {
  const found: string[] = [];
  let calls = 0;
  if (/\bshell\s*:/.test(text)) found.push(`${file}: a shell: option`);
  if (/(?<![.\w])(exec|execSync)\s*\(/.test(text)) found.push(`${file}: exec()/execSync()`);
  // zx's tag is `$` before a backtick; a `$` that ends a regex inside a template (`…}$\``) or is
  // escaped in a character class (`\\$\``) is not one.
  if (/\bexecaCommand(Sync)?\b|\bexecaNode\b|from ['"]zx['"]|(?<![}\\])\$`/.test(text)) found.push(`${file}: a command string (execaCommand, zx)`);
  for (const m of text.matchAll(/import\s*{([^}]*)}\s*from\s*['"](node:)?child_process['"]/g)) {
    const names = m[1].split(',').map((n) => n.trim().split(/\s+as\s+/)[0]).filter(Boolean);
    for (const n of names) if (!['spawn', 'spawnSync', 'execFile', 'execFileSync'].includes(n)) found.push(`${file}: imports ${n} from child_process`);
  }
  for (const m of text.matchAll(/(?<![.\w])(execa|execaSync|spawn|spawnSync|execFile|execFileSync)\s*\(/g)) {
    calls++;
    const { arg, hasSecond } = firstArgument(text, m.index! + m[0].length);
    // The program is a plain literal word or a variable; its arguments come as a separate array.
    const literal = /^(['"])[^'"\s$`]+\1$/.test(arg);
    const variable = /^[A-Za-z_$][\w$.]*$/.test(arg);
    if (!(literal || variable) || !hasSecond) found.push(`${file}: ${m[1]}(${arg}${hasSecond ? ', …' : ''}) — the command must be a word and argv an array`);
  }
  return { found, calls };
}

test('source scan: no shell option, no exec/execSync, no command strings, no zx in src/, steps/, bin/', () => {
  const results = CODE.map(({ file, text }) => scanCode(file, text));
  const calls = results.reduce((n, r) => n + r.calls, 0);
  assert.ok(calls >= 5, `the scan sees the process calls (${calls})`);
  assert.equal(results.flatMap((r) => r.found), []);
});

test('source scan catches each thing it forbids (the checker itself is checked)', () => {
  const bad = [
    "spawn('ls', [dir], { shell: true })", 'execSync(`virsh define ${file}`)', 'execa(`ip link set ${nic} up`)',
    "import { exec } from 'node:child_process'", "spawnSync('virsh define ' + file)", "execa('sh -c', [x])", 'await $`ip link`',
  ];
  for (const line of bad) assert.ok(scanCode('t.ts', line).found.length > 0, line);
  assert.equal(scanCode('t.ts', "execa('ip', ['link', 'set', nic, 'up'])").found, []);
});

// ---- names that cannot be interface names are refused where they enter --------------------------
test(`interface names with ${HOSTILE.length} kinds of shell syntax are refused (exit 2, nothing changed) for wan.bridge and wan.nic`, () => {
  const root = copyFixture('centos5');
  const before = treeFingerprint(root);
  for (const id of ['wan.bridge', 'wan.nic']) {
    for (const value of HOSTILE) {
      const a = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge', [id]: value });
      const r = runCli(['apply', '--root', root, '--answers', a, '--yes']);
      assert.is(r.status, 2, `${id}=${JSON.stringify(value)}: ${r.stderr}`);
      assert.ok(r.stderr.includes(id), r.stderr);
    }
  }
  assert.equal(fingerprintDiff(before, treeFingerprint(root)), []);
  assert.not.ok(fs.existsSync(path.join(PROJECT, 'PWNED')));
});

// ---- the generated wrapper script: quoted words, run by a real sh ---------------------------------
const METACHARS = [';', '$', '(', ')', '`', "'", '"', '\\', ' ', '\t', '\n', '*', '?', '[', ']', '~', '#', '&', '|', '<', '>', '!', '{', '}', '=', ',', '-', 'a', 'Z', '0', '.', '日', 'é'];

/** Writes the wrapper and a recording network-bridge beside it, runs the wrapper with sh, returns the argv seen. */
function runWrapper(dir: string, script: string): string[] {
  fs.writeFileSync(path.join(dir, 'network-bridge-custom'), script, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'network-bridge'), `#!/bin/sh\nprintf '%s\\0' "$@" > "${dir}/argv"\n`, { mode: 0o755 });
  fs.rmSync(path.join(dir, 'argv'), { force: true });
  const r = spawnSync('sh', [path.join(dir, 'network-bridge-custom'), 'start'], { cwd: dir, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return fs.readFileSync(path.join(dir, 'argv'), 'utf8').split('\0').slice(0, -1);
}

test('network-bridge-custom: the guide\'s plain names stay bare (seed 000 line 75), hostile ones arrive as one argument each', () => {
  const dir = tempDir();
  const guide = renderBridgeCustomScript({ name: 'xenbr0', nic: 'eth0', stp: false, forwardDelay: 0, antispoof: true });
  assert.ok(guide.includes('"$@" vifnum=0 bridge=xenbr0 netdev=eth0 antispoof=yes'), guide);
  for (const name of HOSTILE.filter((h) => !h.includes('\n'))) {
    const script = renderBridgeCustomScript({ name, nic: `n${name}`, stp: false, forwardDelay: 0, antispoof: false });
    assert.equal(runWrapper(dir, script), ['start', 'vifnum=0', `bridge=${name}`, `netdev=n${name}`, 'antispoof=no'], name);
  }
  assert.not.ok(fs.existsSync(path.join(dir, 'PWNED')), 'nothing ran');
});

test('network-bridge-custom (property, fast-check): any value is either one intact argument or refused as unquotable', () => {
  const dir = tempDir();
  const value = fc.oneof(fc.string({ unit: fc.constantFrom(...METACHARS), maxLength: 24 }), fc.string({ unit: 'binary', maxLength: 12 }));
  let refused = 0;
  fc.assert(fc.property(value, value, (name, nic) => {
    let script: string;
    try {
      script = renderBridgeCustomScript({ name, nic, stp: false, forwardDelay: 0, antispoof: true });
    } catch (err) {
      // Refused only for what no quoting makes safe: control characters.
      assert.ok(err instanceof InputError && err.key === 'error.shellUnsafe', String(err));
      assert.match(name + nic, /[\x00-\x1f\x7f]/);
      refused++;
      return;
    }
    assert.equal(runWrapper(dir, script), ['start', 'vifnum=0', `bridge=${name}`, `netdev=${nic}`, 'antispoof=yes']);
  }), { numRuns: 150, seed: 7 });
  assert.ok(refused > 0, 'newlines and other control characters were generated and refused');
  assert.not.ok(fs.existsSync(path.join(dir, 'PWNED')));
});

// ---- commands: recording stand-ins see the exact argv --------------------------------------------
if (!canUseNetns()) {
  skipCheck(test, 'injection: live argv through recording stand-ins', missingNetns()!);
} else {
  const ns = new Netns('inject');
  /** A stand-in that records each argument NUL-terminated, one call per line of the index. */
  const recorder = (bin: string, name: string, log: string) =>
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n{ printf '%s\\0' "${name}" "$@"; printf '\\n'; } >> "${log}"\nexit 0\n`, { mode: 0o755 });
  const calls = (log: string) => fs.readFileSync(log, 'utf8').split('\0\n').filter(Boolean).map((c) => c.split('\0'));

  test('a guest whose name and libvirt XML file name hold shell syntax: virsh gets the path as one intact argument (--live)', () => {
    const root = copyFixture('centos5');
    const weird = "c;u $(touch PWNED) `touch PWNED` 'q\" \nx";
    const xmlDir = path.join(root, 'etc/xen/xml');
    const xml = fs.readFileSync(path.join(xmlDir, 'centos51u.xml'), 'utf8').replace('<name>centos51u</name>', `<name>${weird.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</name>`);
    fs.rmSync(path.join(xmlDir, 'centos51u.xml'));
    fs.writeFileSync(path.join(xmlDir, `${weird}.xml`), xml);
    const tmp = tempDir();
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    const log = path.join(tmp, 'calls');
    fs.writeFileSync(log, '');
    for (const name of ['virsh', 'service']) recorder(bin, name, log);
    fs.writeFileSync(path.join(root, 'etc/xen/scripts/network-bridge'), `#!/bin/sh\nexit 0\n`, { mode: 0o755 });
    const a = writeJson(path.join(tmp, 'a.json'), { recipe: 'single-bridge', guests: [weird, 'centos51u2'] });
    const wizard = [process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js')];
    const r = ns.exec([...wizard, 'apply', '--root', root, '--live', '--yes', '--answers', a], { env: { PATH: `${bin}:${process.env.PATH}`, LANG: 'C', NO_COLOR: '1' } });
    assert.is(r.status, 0, r.stderr);
    const defines = calls(log).filter((c) => c[0] === 'virsh' && c[1] === 'define');
    assert.equal(defines, [['virsh', 'define', path.join(root, `etc/xen/xml/${weird}.xml`)]]);
    assert.ok(fs.readFileSync(path.join(xmlDir, `${weird}.xml`), 'utf8').includes("<source bridge='xenbr0'/>"));
    for (const where of [root, tmp, PROJECT, path.join(root, 'etc/xen/xml')]) assert.not.ok(fs.existsSync(path.join(where, 'PWNED')), `nothing ran in ${where}`);
    const back = ns.exec([...wizard, 'rollback', '--root', root, '--live'], { env: { PATH: `${bin}:${process.env.PATH}`, LANG: 'C', NO_COLOR: '1' } });
    assert.is(back.status, 0, back.stderr);
  });

  test.after(() => ns.remove());
}

test.run();
