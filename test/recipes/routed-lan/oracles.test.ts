// routed-lan's artifacts judged by their real readers: libvirt's schemas (virt-xml-validate) for
// the network and the guest XML, Xen's libxlutil for the edited xl configs, ifupdown's ifquery for
// interfaces(5), bash/dash for the scripts — and set_route/unset_route executed for real in a
// network namespace (xend's network-bridge-util; the xl hook shares the same functions).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { copyFixture, runCli, tempDir, writeJson, PROJECT } from '../../_helpers/roots.js';
import { Netns, missingNetns } from '../../_helpers/netns.js';
import { missingCommand, missingUnpacked, missingValidator, missingXlu, testUnless } from '../../_helpers/skip.js';

interface JsonStep { file?: { path: string; after: string | null } }
const applied = (fixture: string, answers: object) => {
  const root = copyFixture(fixture);
  const a = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'routed-lan', ...answers });
  const r = runCli(['plan', '--root', root, '--answers', a, '--json']);
  assert.is(r.status, 0, r.stderr);
  const plan = JSON.parse(r.stdout) as { steps: JsonStep[] };
  const ap = runCli(['apply', '--root', root, '--answers', a, '--yes']);
  assert.is(ap.status, 0, ap.stderr);
  return { root, plan, after: (p: string) => plan.steps.find((s) => s.file?.path === p)?.file?.after ?? null };
};
const xend = applied('routed-centos5', {});
const xl = applied('debian12', { 'routed.nicAddress': '192.168.0.3/24' });

testUnless(test, missingValidator(), "libvirt's schemas accept virnet0.xml and the guests' domain XML with their two interfaces", () => {
  for (const [file, kind] of [[path.join(xend.root, 'etc/virnet/virnet0.xml'), 'network'], [path.join(xend.root, 'etc/xen/xml/centos51u.xml'), 'domain'],
    [path.join(xl.root, 'etc/virnet/virnet0.xml'), 'network'], [path.join(xl.root, 'etc/libvirt/libxl/build.xml'), 'domain']]) {
    const r = spawnSync('virt-xml-validate', [file, kind], { encoding: 'utf8' });
    assert.is(r.status, 0, `${file}: ${r.stderr}${r.stdout}`);
  }
});

testUnless(test, missingXlu(), "Xen's libxlutil reads the edited guest configs: WAN vif first, LAN vif second", () => {
  const XLU = path.join(PROJECT, 'test/oracle/xlu.py');
  for (const [root, file, wan] of [[xend.root, 'etc/xen/centos51u', 'xenbr0'], [xl.root, 'etc/xen/web1.cfg', 'xenbr0'], [xl.root, 'etc/xen/db1.cfg', 'xenbr0']]) {
    const out = JSON.parse(spawnSync('python3', [XLU, path.join(root, file), 'vif'], { encoding: 'utf8' }).stdout);
    assert.ok(out.ok, JSON.stringify(out));
    const vifs = out.values.vif as string[];
    assert.is(vifs.length, 2, file);
    assert.match(vifs[0], new RegExp(`bridge=${wan}`));
    assert.match(vifs[1], /^mac=00:16:3e:[0-9a-f:]{8},bridge=virbr0$/);
  }
});

testUnless(test, missingUnpacked('ifupdown/sbin/ifquery'), 'ifupdown (ifquery) reads the WAN bridge of the xl host', () => {
  const IFQUERY = path.join(PROJECT, '.cache/debs/ifupdown/sbin/ifquery');
  const dir = path.join(tempDir(), 'interfaces.d');
  fs.mkdirSync(dir);
  const file = path.join(tempDir(), 'interfaces');
  fs.writeFileSync(file, xl.after('/etc/network/interfaces')!.replace('source /etc/network/interfaces.d/*', `source ${dir}/*`));
  const br = spawnSync(IFQUERY, ['-i', file, 'xenbr0'], { encoding: 'utf8' }).stdout;
  assert.match(br, /bridge_ports: eno1\n/);
});

test('the scripts parse: the xend wrapper with bash (CentOS /bin/sh), util and hook with dash and bash', () => {
  const check = (shell: string, file: string) => spawnSync(shell, ['-n', file], { encoding: 'utf8' });
  assert.is(check('bash', path.join(xend.root, 'etc/xen/scripts/network-bridge-custom')).status, 0);
  for (const shell of ['bash', 'dash']) {
    for (const f of [path.join(xend.root, 'etc/xen/scripts/network-bridge-util'), path.join(xl.root, 'etc/libvirt/hooks/network.d/50-xen-net-wizard-routes')]) {
      const r = check(shell, f);
      assert.is(r.status, 0, `${shell} ${f}: ${r.stderr}`);
    }
  }
  assert.is((fs.statSync(path.join(xl.root, 'etc/libvirt/hooks/network.d/50-xen-net-wizard-routes')).mode & 0o777).toString(8), '755');
});

for (const shell of ['bash', 'dash']) {
  testUnless(test, missingNetns() ?? missingCommand('unshare') ?? missingCommand(shell), `${shell}: set_route applies route.conf (names from the root's rt_tables), twice without duplicates; unset_route removes it all`, () => {
    const ns = new Netns(`rt${shell[0]}`);
    try {
      // dom0's interfaces as xend names them (eth0 = dom0's WAN side, eth1, virbr0): bridges stand in.
      for (const [dev, addr] of [['eth0', '192.168.1.3/24'], ['eth1', '192.168.0.3/24'], ['virbr0', '192.168.122.1/24']]) {
        for (const a of [['link', 'add', dev, 'type', 'bridge'], ['addr', 'add', addr, 'dev', dev], ['link', 'set', dev, 'up']]) assert.is(ns.exec(['ip', ...a]).status, 0);
      }
      const util = path.join(xend.root, 'etc/xen/scripts/network-bridge-util');
      const etc = path.join(xend.root, 'etc');
      // The root's /etc overlaid on this one in a private mount namespace: set_route reads
      // /etc/xen/route.conf and ip reads /etc/iproute2/rt_tables from the root, as on dom0.
      const run = (fn: string) => ns.exec(['unshare', '-m', shell, '-c',
        `mount -t overlay overlay -o lowerdir=${etc}:/etc /etc && . "$0" && ${fn} /etc/xen/route.conf && ${fn} /etc/xen/route.conf`, util]);
      const state = () => ['rule show', 'route show table 100', 'route show table 101', 'route show table 102'].map((c) => ns.exec(['ip', ...c.split(' ')]).stdout);
      const empty = state();
      const set = run('set_route');
      assert.is(set.status, 0, set.stderr);
      const [rules, wan, lan, vir] = state();
      // This ip reads the machine's own rt_tables: the tables show as their numbers (seed 000 lines 504–506).
      assert.is(rules.split('\n').filter((l) => /iif/.test(l)).join('\n'), '100:\tfrom all iif eth0 lookup 100\n101:\tfrom all iif eth1 lookup 101\n102:\tfrom all iif virbr0 lookup 102');
      assert.match(wan, /prohibit default/);
      assert.match(lan, /192\.168\.122\.0\/24 dev virbr0/);
      assert.match(vir, /192\.168\.0\.0\/24 dev eth1/);
      const unset = run('unset_route');
      assert.is(unset.status, 0, unset.stderr);
      assert.equal(state(), empty);
    } finally {
      ns.remove();
    }
  });
}

test.run();
