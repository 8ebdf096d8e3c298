// The whole wizard in Japanese on an 80-column terminal (tmux on a private server): every screen
// a user sees — questions, key hints, yes/no, review, progress, result — is Japanese, fits
// 80 columns and keeps kinsoku. Diff and command lines are file content and are left out of the width check.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { copyFixture, PROJECT, tempDir, writeJson } from '../_helpers/roots.js';
import { hasTmux, TmuxSession } from '../_helpers/tmux.js';
import { screenFaults } from '../_helpers/screen.js';

// scripts/test.mjs sets FORCE_COLOR=0 for its children; with NO_COLOR also set, Node prints an English
// warning of its own on the terminal. A user's shell has neither: the wizard runs without them here too.
const wizard = (args: string[]) => ['env', '-u', 'FORCE_COLOR', '-u', 'NO_COLOR', process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), ...args];
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LANG: 'ja_JP.UTF-8', TERM: 'xterm-256color' };

/** English a prompt library would put on screen by itself: key hints, yes/no, listr2's labels. */
const ENGLISH = /\b(?:navigate|select|submit|invert|Yes|No|FAILED|SKIPPED|disabled)\b|\((?:y\/N|Y\/n)\)|You must/;
/** A hint line made of ASCII only (plus the arrow symbols): what the test must never see. */
const ASCII_HINT = /^[\x20-\x7e↑↓⏎•]*\b[a-z]{4,}\b[\x20-\x7e↑↓⏎•]*$/m;

function prose(screen: string): string {
  // Diff lines (file content), command lines and the copied root's path are not the wizard's prose.
  return screen.split('\n').filter((l) => !/^(?:[-+@│]|\s{0,6}#|\s{6,}\S| \S|\[exit)/.test(l)).join('\n');
}

function checkScreen(screen: string, where: string): void {
  const text = prose(screen);
  assert.not.match(text, ENGLISH, `${where}: English on screen: ${text.match(ENGLISH)?.[0]}\n${screen}`);
  // Lines of only ASCII are commands, paths or identifiers the user typed or chose; a hint is not one of them.
  const hint = text.split('\n').find((l) => ASCII_HINT.test(l) && /↑↓|⏎|\b(?:space|enter)\b/i.test(l));
  assert.is(hint, undefined, `${where}: ASCII-only hint: ${hint}`);
  assert.ok(/↑↓ 移動|y\/n、既定|\[exit/.test(screen) || /入力してください/.test(screen), `${where}: no Japanese hint on a prompt screen:\n${screen}`);
  assert.equal(screenFaults(text, 80), [], where);
}

async function walk(tmux: TmuxSession, steps: [RegExp, string[]][]): Promise<string> {
  for (const [question, keys] of steps) {
    const screen = await tmux.waitFor(question);
    checkScreen(screen, String(question));
    tmux.send(...keys);
  }
  const end = await tmux.waitFor(/\[exit \d+\]/, 30_000);
  checkScreen(end, 'the result');
  return end;
}

if (!hasTmux()) {
  console.log('!!! SKIPPED Japanese tmux wizard tests: tmux is not installed (scripts/setup-test-deps.sh installs it as root)');
} else {
  test('ja, 80 columns: single-bridge from the recipe list to the result, Japanese hints and answers only', async () => {
    const tmux = new TmuxSession('ja80', wizard(['--root', copyFixture('debian12')]), env, { columns: 80, rows: 60 });
    try {
      const end = await walk(tmux, [
        [/どのネットワーク構成にしますか\?[\s\S]*↑↓ 移動 • ⏎ 選択/, ['Enter']],
        [/dom0 を LAN につなぐ NIC はどれですか\?[\s\S]*↑↓ 移動/, ['Enter']],
        [/ゲスト用ブリッジの名前を入力してください: \(xenbr0\)/, ['Enter']],
        [/virbr0 から移すゲストはどれですか\?[\s\S]*スペース 選択/, ['Enter']],
        [/MAC アドレスを固定する方法はどれですか\?/, ['Enter']],
        [/この計画を今すぐ適用しますか\? \(y\/n、既定: いいえ\)/, ['y', 'Enter']],
      ]);
      assert.match(end, /適用しますか\? はい/);
      assert.match(end, /完了しました \(実行 ID: /);
      assert.match(end, /\[exit 0\]/);
    } finally {
      tmux.kill();
    }
  });

  test('ja, 80 columns: internal-l2 (checkboxes, inputs, yes/no) in Japanese only', async () => {
    const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'internal-l2' });
    const tmux = new TmuxSession('ja80l2', wizard(['--root', copyFixture('centos5'), '--answers', answers]), env, { columns: 80, rows: 60 });
    try {
      const end = await walk(tmux, [
        [/LAN につなぐ NIC はどれですか\?/, ['Enter']],
        [/つなぎ替える\s*ゲストはどれですか\?[\s\S]*すべて選択/, ['Enter']],
        [/内部専用 libvirt ネットワークの名前を入力してください: \(virnet1\)/, ['Enter']],
        [/内部ネットワークのブリッジ名を入力してください/, ['Enter']],
        [/IPアドレスをプレフィックス付きで入力してください/, ['Enter']],
        [/2 枚目の NIC をつなぐゲストはどれですか\?/, ['Enter']],
        [/IPフォワーディングを無効にしますか\?[\s\S]*\(y\/n、既定: はい\)/, ['n', 'Enter']],
        [/この計画を今すぐ適用しますか\?/, ['n', 'Enter']],
      ]);
      assert.match(end, /無効にしますか\?[\s\S]*いいえ/);
      assert.match(end, /中止しました。何も変更していません。/);
      assert.match(end, /\[exit 0\]/);
    } finally {
      tmux.kill();
    }
  });
}

test.run();
