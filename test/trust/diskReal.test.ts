// Disk faults on real filesystems (issue 18, part 1): a small tmpfs and read-only bind mounts, each
// inside a private mount namespace of its own (`unshare -m`, propagation private): nothing is ever
// mounted in the machine's namespace, and the mounts end with the namespace. The tree is copied out
// before the namespace ends and compared here, outside.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { FIXTURES, PROJECT, tempDir, treeFingerprint, fingerprintDiff, writeJson } from '../_helpers/roots.js';
import { leftovers } from '../_helpers/leftovers.js';
import { skipCheck } from '../_helpers/skip.js';

const canMount = process.getuid?.() === 0 && spawnSync('unshare', ['-m', '--propagation', 'private', 'true']).status === 0;

interface Result { status: number; stderr: string; tree: string; trees: Record<string, string> }

/**
 * Runs `script` (bash) in a private mount namespace with $ROOT a copy of the debian12 fixture on a
 * tmpfs of `size` at $MNT, and helpers: `xnw ARGS…` (the CLI; its stderr and exit land in the
 * result), `snap NAME` (copies the tree out as the result's trees[NAME]).
 */
function inMountNs(size: string, script: string): Result {
  const work = tempDir();
  const out = path.join(work, 'out');
  fs.mkdirSync(out);
  const prelude = `
    MNT=${work}/mnt; OUT=${out}; mkdir -p "$MNT"
    mount -t tmpfs -o size=${size},mode=0755 xnw-test "$MNT"
    ROOT="$MNT/root"; cp -a ${FIXTURES.debian12}/. "$ROOT"
    xnw() { set +e; LANG=C NO_COLOR=1 ${process.execPath} ${PROJECT}/bin/xen-net-wizard.js "$@" 2>>"$OUT/stderr" </dev/null; echo $? > "$OUT/status"; set -e; }
    snap() { mkdir -p "$OUT/$1"; cp -a "$ROOT/." "$OUT/$1/"; }
    fill() { avail=$(df --output=avail -B1 "$MNT" | tail -1); head -c $((avail - \${1:-0})) /dev/zero > "$MNT/filler" 2>/dev/null || true; }
    snap before
  `;
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'bash', '-euc', `${prelude}\n${script}\nsnap after`], { encoding: 'utf8', timeout: 120_000 });
  assert.is(r.status, 0, `namespace script: ${r.stderr}`);
  const read = (f: string) => (fs.existsSync(path.join(out, f)) ? fs.readFileSync(path.join(out, f), 'utf8') : '');
  const trees = Object.fromEntries(fs.readdirSync(out).filter((d) => fs.statSync(path.join(out, d)).isDirectory()).map((d) => [d, path.join(out, d)]));
  // Messages are wrapped to 80 columns: matched as one line.
  return { status: Number(read('status').trim()), stderr: read('stderr').replace(/\s*\n\s*/g, ' '), tree: trees.after, trees };
}

const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge' });
const unchanged = (r: Result) => fingerprintDiff(treeFingerprint(r.trees.before), treeFingerprint(r.tree, { excludeJournal: true }));
const counts = { refused: 0, rolledBack: 0, byHand: 0 };

if (!canMount) {
  skipCheck(test, 'real-filesystem disk faults', 'needs root and unshare -m');
} else {
  test('tmpfs with 8 KB free: the free-space check refuses before the lock (exit 2), naming the need', () => {
    const r = inMountNs('4m', `fill 8192; xnw apply --root "$ROOT" --answers ${answers} --yes`);
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, /not enough free space on the filesystem of \S+\/root: the journal and the new files need about \d+ KB, \d+ KB are free/);
    assert.match(r.stderr, /Nothing was changed/);
    assert.equal(unchanged(r), []);
    assert.not.ok(fs.existsSync(path.join(r.tree, 'var/lib/xen-net-wizard')), 'not even the state directory');
    counts.refused++;
  });

  test('tmpfs with no free inode: refused before the lock (exit 2)', () => {
    const r = inMountNs('4m', `mount -o remount,nr_inodes=$(( $(df --output=iused "$MNT" | tail -1) + 1 )) "$MNT"; xnw apply --root "$ROOT" --answers ${answers} --yes`);
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, /no free inodes on the filesystem of/);
    assert.equal(unchanged(r), []);
    counts.refused++;
  });

  for (const [what, dir] of [['/etc (the configs)', 'etc'], ['/var/lib/xen-net-wizard (the journal)', 'var/lib/xen-net-wizard']]) {
    test(`read-only bind mount of ${what}: refused by path before the lock (exit 2)`, () => {
      const r = inMountNs('16m', `mkdir -p "$ROOT/${dir}"; mount --bind "$ROOT/${dir}" "$ROOT/${dir}"; mount -o remount,bind,ro "$ROOT/${dir}"
        xnw apply --root "$ROOT" --answers ${answers} --yes`);
      assert.is(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`/root/${dir}(/\\S*)? is on a read-only filesystem`));
      assert.equal(unchanged(r), []);
      assert.equal(leftovers(r.tree), []);
      counts.refused++;
    });
  }

  // The disk fills up (another process) after the check, while the run waits before its step N:
  // the next write fails for real. Rolled back in place where no temp file fits, exit 1.
  for (const step of [2, 4]) {
    test(`the disk fills up before step ${step + 1}: the real ENOSPC rolls back, exit 1, no temp or lock file`, () => {
      const r = inMountNs('4m', `
        XNW_PAUSE_AT=${step} xnw apply --root "$ROOT" --answers ${answers} --yes &
        pid=$!
        for i in $(seq 300); do ls "$ROOT"/var/lib/xen-net-wizard/runs/*/paused >/dev/null 2>&1 && break; sleep 0.1; done
        paused=$(ls "$ROOT"/var/lib/xen-net-wizard/runs/*/paused)
        fill 0; rm -f "$paused"; wait $pid || true
        snap full; rm -f "$MNT/filler"`);
      assert.is(r.status, 1, r.stderr);
      assert.match(r.stderr, /no space left on its filesystem/);
      assert.match(r.stderr, /apply failed and was rolled back/);
      assert.equal(unchanged(r), []);
      assert.equal(leftovers(r.tree), []);
      counts.rolledBack++;
    });
  }

  test('the configs\' filesystem goes read-only mid-apply: exit 4, the state and the commands; run by hand they finish the rollback', () => {
    const r = inMountNs('16m', `
      mount --bind "$ROOT/etc" "$ROOT/etc"
      XNW_PAUSE_AT=2 xnw apply --root "$ROOT" --answers ${answers} --yes &
      pid=$!
      for i in $(seq 300); do ls "$ROOT"/var/lib/xen-net-wizard/runs/*/paused >/dev/null 2>&1 && break; sleep 0.1; done
      mount -o remount,bind,ro "$ROOT/etc"; rm -f "$ROOT"/var/lib/xen-net-wizard/runs/*/paused; wait $pid || true
      snap readonly
      mount -o remount,bind,rw "$ROOT/etc"
      grep -E '^ *(install|rm -f|rmdir|ln -sfn) ' "$OUT/stderr" > "$OUT/byhand.sh"
      sh -e "$OUT/byhand.sh"`);
    assert.is(r.status, 4, r.stderr);
    assert.match(r.stderr, /read-only/);
    assert.match(r.stderr, /Already restored: /);
    assert.ok(fingerprintDiff(treeFingerprint(r.trees.before), treeFingerprint(r.trees.readonly, { excludeJournal: true })).length > 0, 'half-applied until finished by hand');
    assert.equal(unchanged(r), [], 'the printed commands restore every file');
    assert.equal(leftovers(r.tree), []);
    counts.byHand++;
  });

  test('figures: real-filesystem disk faults', () => {
    console.log(`\n  disk faults on tmpfs / read-only bind mounts: ${counts.refused} refused before any change, ${counts.rolledBack} rolled back after a real ENOSPC, ${counts.byHand} finished by hand after EROFS (exit 4)`);
    assert.equal(counts, { refused: 4, rolledBack: 2, byHand: 1 });
  });
}

test.run();
