// Standard output written straight to fd 1 when it is a pipe or a file (src/system/stdio.ts, main.ts's
// defaultIo, issue 11): what counts as plain output, what is left for node's stream when a write
// fails, and the CLI's output the same through a pipe, a file and a terminal-less EPIPE.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { isatty } from 'node:tty';
import { isPlainOutput, stderrIsTTY, writeOut, writeStraight } from '../../src/system/stdio.js';
import { PROJECT, copyFixture, runCli, tempDir } from '../_helpers/roots.js';

const errno = (code: string) => Object.assign(new Error(code), { code });

/** A write that takes at most `max` bytes per call (of a string or a buffer range), as a pipe may. */
function takingAtMost(max: number, got: Buffer[], failAt = -1, code = 'EAGAIN') {
  let calls = 0;
  return (_fd: number, data: string | Buffer, offset = 0, length?: number): number => {
    if (calls++ === failAt) throw errno(code);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const n = Math.min(max, length ?? bytes.length - offset);
    got.push(Buffer.from(bytes.subarray(offset, offset + n)));
    return n;
  };
}

test('isPlainOutput: a regular file, a FIFO and /dev/null are; a terminal (a pty master) and a closed fd are not', () => {
  const dir = tempDir();
  const file = fs.openSync(path.join(dir, 'out'), 'w');
  const fifoPath = path.join(dir, 'fifo');
  assert.is(spawnSync('mkfifo', [fifoPath]).status, 0);
  const fifo = fs.openSync(fifoPath, 'r+');
  const devNull = fs.openSync('/dev/null', 'w');
  const pty = fs.openSync('/dev/ptmx', 'r+');
  try {
    assert.ok(isPlainOutput(file));
    assert.ok(isPlainOutput(fifo));
    assert.ok(isPlainOutput(devNull));
    assert.ok(isatty(pty), 'the pty master is a terminal');
    assert.not.ok(isPlainOutput(pty));
  } finally {
    for (const fd of [file, fifo, devNull, pty]) fs.closeSync(fd);
  }
  assert.not.ok(isPlainOutput(devNull)); // closed now: EBADF
});

test('writeStraight: all of the text in as many writes as it takes, UTF-8 bytes exact', () => {
  const text = 'ブリッジ xenbr0 — 1,000 guests\n'.repeat(50);
  for (const max of [7, 1 << 20]) {
    const got: Buffer[] = [];
    // 7: a pipe that takes 7 bytes per write, splitting UTF-8 sequences; 1 MiB: all in one write.
    const rest = writeStraight(1, text, takingAtMost(max, got));
    assert.is(rest.length, 0);
    assert.is(Buffer.concat(got).toString('utf8'), text);
    if (max > text.length * 3) assert.is(got.length, 1);
  }
});

test('writeStraight: from the first failing write (EAGAIN, EPIPE, EIO) the rest is returned for the stream, byte-exact', () => {
  const text = '{\n  "steps": [ "日本語" ]\n}\n';
  for (const [failAt, code] of [[0, 'EAGAIN'], [1, 'EAGAIN'], [2, 'EPIPE'], [3, 'EIO']] as const) {
    const written: Buffer[] = [];
    const rest = writeStraight(1, text, takingAtMost(5, written, failAt, code));
    assert.is(Buffer.concat([...written, rest]).toString('utf8'), text, `${code} at write ${failAt}`);
    assert.is(Buffer.concat(written).length, Math.min(5 * failAt, Buffer.byteLength(text)), `${code} at write ${failAt}`);
  }
});

test('writeOut and stderrIsTTY: the Io decides (defaultIo straight, any other Io through its stream)', () => {
  const through: string[] = [];
  const straight: string[] = [];
  writeOut({ stdout: { write: (s: string) => through.push(s) } }, 'a\n');
  writeOut({ stdout: { write: (s: string) => through.push(s) }, writeOut: (s) => { straight.push(s); } }, 'b\n');
  assert.equal(through, ['a\n']);
  assert.equal(straight, ['b\n']);
  let asked = 0;
  const stderr = { get isTTY() { asked++; return true; } };
  assert.is(stderrIsTTY({ stderr }), true);
  assert.is(stderrIsTTY({ plainStderr: true, stderr }), false);
  assert.is(asked, 1, 'a plain stderr is never asked (asking makes node\'s stream)');
});

/** A copy of the demo dom0 with `count` more guests on virbr0: `plan --json` well over a pipe's 64 KiB. */
function bigRoot(count: number): string {
  const root = copyFixture('debian12');
  for (let i = 0; i < count; i++) {
    fs.writeFileSync(path.join(root, `etc/xen/guest${i}.cfg`), `name = "guest${i}"\nmemory = 512\nvif = [ 'mac=00:16:3e:20:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')},bridge=virbr0' ]\n`);
  }
  return root;
}

test('CLI: plan --json is the same bytes through a pipe and into a file; --help and --version too', () => {
  const root = bigRoot(300);
  const dir = tempDir();
  const answers = path.join(dir, 'answers.json');
  fs.writeFileSync(answers, JSON.stringify({ recipe: 'single-bridge', macs: { db1: '00:16:3e:00:00:01' } }));
  for (const args of [['plan', '--root', root, '--answers', answers, '--json'], ['--help'], ['--version'], ['plan', '--help', '--lang', 'ja']]) {
    const piped = runCli(args);
    assert.is(piped.status, 0, piped.stderr);
    const file = path.join(dir, 'out');
    const r = spawnSync('sh', ['-c', `"$0" "$@" >"${file}"`, process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, LANG: 'C.UTF-8', NO_COLOR: '1' } });
    assert.is(r.status, 0, r.stderr);
    assert.is(fs.readFileSync(file, 'utf8'), piped.stdout, args.join(' '));
  }
  assert.ok(runCli(['plan', '--root', root, '--answers', answers, '--json']).stdout.length > 2 * 65536, 'more than a pipe holds');
});

test('CLI: a reader that goes away (plan --json | head -c 100) ends the run quietly, exit 0, as before', () => {
  const root = bigRoot(300);
  const script = `"$0" "$1" plan --root "$2" --recipe single-bridge --json 2>"$3" | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`;
  const err = path.join(tempDir(), 'stderr');
  const r = spawnSync('bash', ['-c', script, process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), root, err], { encoding: 'utf8', env: { PATH: process.env.PATH, LANG: 'C.UTF-8', NO_COLOR: '1' } });
  assert.is(r.stdout.trim(), '0', fs.readFileSync(err, 'utf8'));
  assert.is(fs.readFileSync(err, 'utf8'), '');
});

test.run();
