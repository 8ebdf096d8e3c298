// routed-lan in the interactive wizard (tmux): the recipe's own questions in order with the
// detected defaults, a typed address checked as it is typed, the review, apply — en and ja.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, PROJECT, tempDir, writeJson } from '../../_helpers/roots.js';
import { hasTmux, TmuxSession } from '../../_helpers/tmux.js';
import { missingCommand, skipCheck } from '../../_helpers/skip.js';

const wizard = (args: string[]) => [process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), ...args];
const env = (lang: string) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LANG: lang, TERM: 'xterm-256color' });

const texts = {
  en: {
    lang: 'en_US.UTF-8', wanNic: /Which NIC goes to the WAN router/, wanBridge: /Name of the WAN bridge/, lanNic: /Which NIC goes to the LAN's L3 switch/,
    nicAddress: /dom0's address on that NIC/, bad: /is not an IPv4 address with a prefix/, network: /Name of the routed libvirt network/,
    bridge: /Its bridge/, address: /dom0's address on that bridge/, guests: /Which guests get a WAN vif and a LAN vif/,
    redirects: /Trust ICMP redirects/, confirm: /Apply this plan now\?/, done: /Done: run/, upstream: /ip route add 192\.168\.122\.0\/24 via 192\.168\.0\.3/,
  },
  ja: {
    lang: 'ja_JP.UTF-8', wanNic: /WAN 側のルータにつながる NIC/, wanBridge: /WAN 側ブリッジの名前/, lanNic: /LAN 側の L3 スイッチにつながる NIC/,
    nicAddress: /その NIC での dom0 の IPアドレス/, bad: /プレフィックス付きの IPv4 アドレスではありません/, network: /ルーティングする libvirt ネットワークの名前/,
    bridge: /LAN 用 vif をつなぐブリッジの名前/, address: /そのブリッジでの dom0 の IPアドレス/, guests: /WAN 用と LAN 用の vif を持たせるゲスト/,
    redirects: /ICMP リダイレクト \(accept_redirects\) を受け入れますか/, confirm: /この計画を今すぐ適用しますか/, done: /完了しました/, upstream: /ip route add 192\.168\.122\.0\/24 via 192\.168\.0\.3/,
  },
};

if (!hasTmux()) {
  skipCheck(test, 'routed-lan wizard tests', missingCommand('tmux') ?? 'tmux does not start');
} else {
  for (const [lang, t] of Object.entries(texts)) {
    test(`${lang}: routed-lan's questions with detected defaults on a Debian 12 dom0, then apply`, async () => {
      const root = copyFixture('debian12');
      const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'routed-lan' });
      const tmux = new TmuxSession(`routed-${lang}`, wizard(['--root', root, '--answers', answers]), env(t.lang));
      try {
        assert.match(await tmux.waitFor(t.wanNic), /eno1/);
        tmux.send('Enter');
        assert.match(await tmux.waitFor(t.wanBridge), /xenbr0/);
        tmux.send('Enter');
        await tmux.waitFor(t.lanNic);
        tmux.send('Enter');
        await tmux.waitFor(t.nicAddress);
        tmux.send('-l', '192.168.0.300/24');
        tmux.send('Enter');
        await tmux.waitFor(t.bad);
        for (let i = 0; i < 16; i++) tmux.send('BSpace');
        tmux.send('-l', '192.168.0.3/24');
        tmux.send('Enter');
        assert.match(await tmux.waitFor(t.network), /virnet0/);
        tmux.send('Enter');
        assert.match(await tmux.waitFor(t.bridge), /virbr0/);
        tmux.send('Enter');
        assert.match(await tmux.waitFor(t.address), /192\.168\.122\.1\/24/);
        tmux.send('Enter');
        assert.match(await tmux.waitFor(t.guests), /web1/);
        tmux.send('Enter');
        await tmux.waitFor(t.redirects);
        tmux.send('Enter');
        const review = await tmux.waitFor(t.confirm);
        assert.match(review, /iif eno2 table 101 pref 101/);
        assert.match(review, /xenbr0 +── eno1 \(WAN\)/);
        assert.match(review, t.upstream);
        tmux.send('y', 'Enter');
        const done = await tmux.waitFor(/\[exit \d+\]/, 30_000);
        assert.match(done, t.done);
        assert.match(done, /\[exit 0\]/);
        assert.match(fs.readFileSync(path.join(root, 'etc/xen/web1.cfg'), 'utf8'), /bridge=xenbr0','mac=00:16:3e:[0-9a-f:]{8},bridge=virbr0'/);
        assert.match(fs.readFileSync(path.join(root, 'etc/iproute2/rt_tables'), 'utf8'), /^101 {4}lanside$/m);
      } finally {
        tmux.kill();
      }
    });
  }
}

test.run();
