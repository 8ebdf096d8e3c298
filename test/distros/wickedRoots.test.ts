// openSUSE with wicked, a root built from SUSE's documented ifcfg-eth0 (test/fixtures/distros/
// README.md): single-bridge plans, applies offline and rolls back byte for byte. wicked is not
// packaged in Debian, so no wicked judges the files here: every key and value written is checked
// against the ones ifcfg-bridge(5) and ifcfg(5) document (names only, listed below).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT, assertApplyIdempotentRollback, assertRefusedUnchanged, copyFixture, runCli, tempDir, writeJson } from '../_helpers/roots.js';
import { parseIfcfg } from '../../src/parse/ifcfg.js';

const SUSE = path.join(PROJECT, 'test/fixtures/distros/opensuse-wicked/root');
const DIR = 'etc/sysconfig/network';
const answers = () => writeJson(path.join(tempDir(), 'answers.json'), { recipe: 'single-bridge', backend: 'wicked' });

/** ifcfg-bridge(5): the bridge's variables, and the values it documents for the ones we set. */
const BRIDGE_KEYS = new Set(['BRIDGE', 'BRIDGE_PORTS', 'BRIDGE_STP', 'BRIDGE_FORWARDDELAY', 'BRIDGE_AGEINGTIME', 'BRIDGE_HELLOTIME', 'BRIDGE_MAXAGE', 'BRIDGE_PATHCOSTS', 'BRIDGE_PORTPRIORITIES', 'BRIDGE_PRIORITY']);
/** ifcfg(5): the general variables of any interface. */
const IFCFG_KEYS = new Set(['STARTMODE', 'BOOTPROTO', 'IPADDR', 'NETMASK', 'PREFIXLEN', 'BROADCAST', 'LABEL', 'REMOTE_IPADDR', 'LLADDR', 'MTU', 'ZONE', 'NAME', 'ETHTOOL_OPTIONS', 'USERCONTROL']);
const VALUES: Record<string, RegExp> = {
  BRIDGE: /^(yes|no)$/, BRIDGE_STP: /^(on|off)$/, BRIDGE_FORWARDDELAY: /^\d+$/,
  STARTMODE: /^(auto|manual|hotplug|ifplugd|nfsroot|off)$/, BOOTPROTO: /^(static|dhcp|dhcp4|dhcp6|autoip|dhcp\+autoip|auto6|6to4|none)$/,
  LLADDR: /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/,
};

function checkDocumented(file: string): Map<string, string> {
  const vars = new Map(parseIfcfg(fs.readFileSync(file, 'utf8'), file).vars.map((v) => [v.key, v.value]));
  for (const [key, value] of vars) {
    // ifcfg(5): IPADDR_1, LABEL_1, … — a suffix names one of several addresses.
    assert.ok(BRIDGE_KEYS.has(key) || IFCFG_KEYS.has(key) || IFCFG_KEYS.has(key.replace(/_[^_]+$/, '')), `${file}: ${key} is not documented by ifcfg-bridge(5) or ifcfg(5)`);
    if (VALUES[key]) assert.match(value, VALUES[key], `${key}='${value}'`);
  }
  return vars;
}

test('openSUSE (wicked): single-bridge applies offline, plans nothing more, rolls back byte for byte', () => {
  assertApplyIdempotentRollback(copyFixture(SUSE), answers());
});

test('openSUSE (wicked): ifcfg-xenbr0 is a bridge over eth0 with the address; eth0 keeps STARTMODE with BOOTPROTO none; keys as documented', () => {
  const root = copyFixture(SUSE);
  const r = runCli(['apply', '--root', root, '--answers', answers(), '--yes']);
  assert.is(r.status, 0, r.stderr);
  const br = checkDocumented(path.join(root, DIR, 'ifcfg-xenbr0'));
  assert.equal(Object.fromEntries(['BRIDGE', 'BRIDGE_PORTS', 'BRIDGE_STP', 'BRIDGE_FORWARDDELAY', 'BOOTPROTO', 'IPADDR', 'STARTMODE'].map((k) => [k, br.get(k)])), {
    BRIDGE: 'yes', BRIDGE_PORTS: 'eth0', BRIDGE_STP: 'off', BRIDGE_FORWARDDELAY: '0', BOOTPROTO: 'static', IPADDR: '192.168.1.20/24', STARTMODE: 'auto',
  });
  const nic = checkDocumented(path.join(root, DIR, 'ifcfg-eth0'));
  assert.equal(Object.fromEntries(nic), { BOOTPROTO: 'none', STARTMODE: 'auto' });
  // The global routes file names no interface: wicked puts the default route where the gateway is reachable.
  assert.is(fs.readFileSync(path.join(root, DIR, 'routes'), 'utf8'), 'default 192.168.1.254 - -\n');
});

test('openSUSE (wicked), DHCP with its own ifroute-eth0: the MAC pinned with LLADDR, the routes file moves to ifroute-xenbr0', () => {
  const root = copyFixture(SUSE);
  fs.writeFileSync(path.join(root, DIR, 'ifcfg-eth0'), "BOOTPROTO='dhcp'\nSTARTMODE='auto'\n");
  fs.writeFileSync(path.join(root, DIR, 'ifroute-eth0'), '10.2.0.0/16 192.168.1.253 - -\n');
  assertApplyIdempotentRollback(root, answers());
  const r = runCli(['apply', '--root', root, '--answers', answers(), '--yes']);
  assert.is(r.status, 0, r.stderr);
  assert.is(checkDocumented(path.join(root, DIR, 'ifcfg-xenbr0')).get('LLADDR'), '52:54:00:a1:00:02');
  assert.is(fs.readFileSync(path.join(root, DIR, 'ifroute-xenbr0'), 'utf8'), '10.2.0.0/16 192.168.1.253 - -\n');
  assert.not.ok(fs.existsSync(path.join(root, DIR, 'ifroute-eth0')));
});

test('openSUSE (wicked): a route naming eth0 in its interface column is refused, nothing changed', () => {
  const root = copyFixture(SUSE);
  fs.writeFileSync(path.join(root, DIR, 'routes'), 'default 192.168.1.254 - eth0\n');
  assertRefusedUnchanged(root, answers(), [/routes line 1 routes through eth0/]);
  assertRefusedUnchanged(root, answers(), [/ルート/], { LANG: 'ja_JP.UTF-8' });
});

test('openSUSE (wicked): internal-dummy writes a port-less bridge (BRIDGE_PORTS empty) with its address and fixed MAC; applies, plans nothing more, rolls back', () => {
  const internal = () => writeJson(path.join(tempDir(), 'answers.json'), { recipe: 'internal-dummy', backend: 'wicked' });
  assertApplyIdempotentRollback(copyFixture(SUSE), internal());
  const root = copyFixture(SUSE);
  const r = runCli(['apply', '--root', root, '--answers', internal(), '--yes']);
  assert.is(r.status, 0, r.stderr);
  const br = checkDocumented(path.join(root, DIR, 'ifcfg-xenbr1'));
  assert.equal([br.get('BRIDGE'), br.get('BRIDGE_PORTS'), br.get('BRIDGE_STP'), br.get('BRIDGE_FORWARDDELAY')], ['yes', '', 'off', '0']);
  assert.match(br.get('IPADDR')!, /^\d+\.\d+\.\d+\.\d+\/\d+$/);
  assert.match(br.get('LLADDR')!, /^00:16:3e(:[0-9a-f]{2}){3}$/);
});

test.run();
