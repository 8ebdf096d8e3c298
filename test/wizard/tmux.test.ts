// The interactive wizard end to end in a real terminal (tmux), as a new user would use it:
// accept the detected defaults, read the review, confirm, watch the progress — in English and Japanese.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, PROJECT } from '../_helpers/roots.js';
import { hasTmux, TmuxSession } from '../_helpers/tmux.js';
import { missingCommand, skipCheck } from '../_helpers/skip.js';

const wizard = (args: string[]) => [process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), ...args];
const env = (lang: string) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LANG: lang, TERM: 'xterm-256color' });

const texts = {
  en: {
    recipe: /Which network layout\?/, nic: /Which NIC connects dom0/, bridge: /Name of the bridge/, guests: /Which guests move off virbr0/,
    macs: /Fix their MACs/, review: /Before:[\s\S]*After:[\s\S]*xenbr0/, confirm: /Apply this plan now\?/, done: /Done: run/, lang: 'en_US.UTF-8',
  },
  ja: {
    recipe: /どのネットワーク構成にしますか/, nic: /dom0 を LAN につなぐ NIC/, bridge: /ゲスト用ブリッジの名前/, guests: /virbr0 から移すゲスト/,
    macs: /MAC アドレスを固定する方法/, review: /変更前:[\s\S]*変更後:[\s\S]*xenbr0/, confirm: /この計画を今すぐ適用しますか/, done: /完了しました/, lang: 'ja_JP.UTF-8',
  },
};

if (!hasTmux()) {
  skipCheck(test, 'tmux wizard tests (en, ja)', missingCommand('tmux') ?? 'tmux does not start');
} else {
  for (const [lang, t] of Object.entries(texts)) {
    test(`${lang}: a new user accepts the defaults on a Debian 12 dom0 and applies`, async () => {
      const root = copyFixture('debian12');
      const tmux = new TmuxSession(`wiz-${lang}`, wizard(['--root', root]), env(t.lang));
      try {
        await tmux.waitFor(t.recipe);
        tmux.send('Enter');
        const nicScreen = await tmux.waitFor(t.nic);
        assert.match(nicScreen, /eno1/);
        tmux.send('Enter');
        await tmux.waitFor(t.bridge);
        tmux.send('Enter');
        const guestsScreen = await tmux.waitFor(t.guests);
        assert.match(guestsScreen, /web1/);
        tmux.send('Enter');
        await tmux.waitFor(t.macs);
        tmux.send('Enter');
        const review = await tmux.waitFor(t.confirm);
        assert.match(review, t.review);
        assert.match(review, /\+iface xenbr0 inet static/);
        assert.match(review, /virsh net-destroy default/);
        tmux.send('y', 'Enter');
        const done = await tmux.waitFor(/\[exit \d+\]/, 30_000);
        assert.match(done, t.done);
        assert.match(done, /\[exit 0\]/);
        const interfaces = fs.readFileSync(path.join(root, 'etc/network/interfaces'), 'utf8');
        assert.match(interfaces, /bridge_ports eno1/);
        assert.match(fs.readFileSync(path.join(root, 'etc/xen/db1.cfg'), 'utf8'), /mac=00:16:3e:[0-9a-f:]{8},bridge=xenbr0/);
      } finally {
        tmux.kill();
      }
    });
  }

  test('en: answering "no" at the confirmation changes nothing', async () => {
    const root = copyFixture('centos5');
    const before = fs.readFileSync(path.join(root, 'etc/xen/centos51u'), 'utf8');
    const tmux = new TmuxSession('wiz-no', wizard(['--root', root]), env('en_US.UTF-8'));
    try {
      await tmux.waitFor(texts.en.recipe);
      tmux.send('Enter');
      for (const q of [texts.en.nic, texts.en.bridge, /antispoof/, texts.en.guests, texts.en.macs]) {
        await tmux.waitFor(q);
        tmux.send('Enter');
      }
      const review = await tmux.waitFor(texts.en.confirm);
      assert.match(review, /network-bridge-custom/);
      tmux.send('n', 'Enter');
      const end = await tmux.waitFor(/\[exit \d+\]/);
      assert.match(end, /Cancelled: nothing was changed/);
      assert.match(end, /\[exit 0\]/);
      assert.is(fs.readFileSync(path.join(root, 'etc/xen/centos51u'), 'utf8'), before);
      assert.not.ok(fs.existsSync(path.join(root, 'var/lib/xen-net-wizard')));
    } finally {
      tmux.kill();
    }
  });

  test('Ctrl-C at a question exits 130 with nothing changed', async () => {
    const root = copyFixture('centos5');
    const tmux = new TmuxSession('wiz-int', wizard(['--root', root]), env('en_US.UTF-8'));
    try {
      await tmux.waitFor(texts.en.recipe);
      tmux.send('C-c');
      const end = await tmux.waitFor(/\[exit \d+\]/);
      assert.match(end, /\[exit 130\]/);
      assert.not.ok(fs.existsSync(path.join(root, 'var/lib/xen-net-wizard')));
    } finally {
      tmux.kill();
    }
  });

  test('the demo dom0 (npm start on a machine that is not a dom0) says so and simulates every command', async () => {
    const tmux = new TmuxSession('wiz-demo', wizard([]), env('en_US.UTF-8'));
    try {
      await tmux.waitFor(/DEMO dom0/);
      for (const q of [texts.en.recipe, texts.en.nic, texts.en.bridge, texts.en.guests, texts.en.macs]) {
        await tmux.waitFor(q);
        tmux.send('Enter');
      }
      await tmux.waitFor(/Run this plan on the demo dom0/);
      tmux.send('y', 'Enter');
      const end = await tmux.waitFor(/\[exit \d+\]/, 30_000);
      assert.match(end, /\[simulated\]/);
      assert.match(end, /Simulated — on a real dom0 these commands would run/);
      assert.match(end, /\[exit 0\]/);
    } finally {
      tmux.kill();
    }
  });
}

test.run();
