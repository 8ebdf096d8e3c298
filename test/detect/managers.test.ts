// Which manager brings the NIC up at boot, on roots built from each distribution's defaults
// (test/fixtures/managers/README.md) and on small roots that isolate one rule each: the active
// manager whose files name the NIC wins; files nothing reads lose; two active claimants are asked.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { RootFs } from '../../src/system/rootfs.js';
import { decideManager } from '../../src/detect/managers/index.js';
import { readOsRelease } from '../../src/detect/managers/distribution.js';
import { detectHost } from '../../src/detect/index.js';
import { recipeStep } from '../../steps/1-recipe.js';
import { PROJECT, FIXTURES, runCli, tempDir, writeJson, treeFingerprint, fingerprintDiff } from '../_helpers/roots.js';

const MANAGERS = path.join(PROJECT, 'test/fixtures/managers');

/** A root from a map of dom0 path → content ('-> target' makes a symlink). */
function root(files: Record<string, string>): string {
  const dir = tempDir('xnw-mgr-');
  for (const [p, content] of Object.entries(files)) {
    const full = path.join(dir, p);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    if (content.startsWith('-> ')) fs.symlinkSync(content.slice(3), full);
    else fs.writeFileSync(full, content);
  }
  return dir;
}

const decide = (dir: string, nic = 'eno1') => decideManager(new RootFs(dir), nic);
const WANTS = '/etc/systemd/system/multi-user.target.wants';
const IFACES = 'auto lo\niface lo inet loopback\n\nauto eno1\niface eno1 inet static\n  address 192.168.1.20/24\n  gateway 192.168.1.254\n';
const KEYFILE = '[connection]\nid=eno1\nuuid=3b8a1b5e-7c2d-4f0e-9a61-5d4c2e8f1a07\ntype=ethernet\ninterface-name=eno1\n\n[ipv4]\nmethod=auto\n';

for (const [fixture, backend, others] of [
  ['ubuntu2404-server', 'netplan', [['networkd', true]]],
  ['ubuntu2404-desktop', 'netplan', [['networkmanager', true]]],
  ['rocky9', 'networkmanager', []],
  ['rocky9-ifcfg', 'networkmanager', [['ifcfg', false]]],
] as const) {
  test(`${fixture}: ${backend} runs at boot and configures eno1`, () => {
    const d = decide(path.join(MANAGERS, fixture, 'root'));
    assert.is(d.backend, backend);
    assert.equal(d.conflict, []);
    assert.is(d.why[0].key, 'detect.why.ruleActiveNamesNic');
    assert.equal(d.claims.filter((c) => c.backend !== backend).map((c) => [c.backend, c.active]), others);
  });
}

test('Rocky 9 with an ifcfg file and no network-scripts: ifcfg is reported as read by nothing, NetworkManager reads it', () => {
  const d = decide(path.join(MANAGERS, 'rocky9-ifcfg', 'root'));
  const ifcfg = d.claims.find((c) => c.backend === 'ifcfg')!;
  assert.ok(ifcfg.evidence.some((e) => e.key === 'detect.why.noNetworkScripts'));
  const nm = d.claims.find((c) => c.backend === 'networkmanager')!;
  assert.equal(nm.files, ['/etc/sysconfig/network-scripts/ifcfg-eno1']);
  assert.is(nm.version, '1.46.0-20.el9_4');
});

test('NetworkManager.conf plugins=keyfile: ifcfg files are not NetworkManager\'s, the keyfile is', () => {
  const dir = root({
    [`${WANTS}/NetworkManager.service`]: '-> /usr/lib/systemd/system/NetworkManager.service',
    '/etc/NetworkManager/NetworkManager.conf': '[main]\nplugins=keyfile\n',
    '/etc/NetworkManager/system-connections/eno1.nmconnection': KEYFILE,
    '/etc/sysconfig/network-scripts/ifcfg-eno2': 'DEVICE=eno2\nONBOOT=yes\n',
  });
  const nm = decide(dir).claims.find((c) => c.backend === 'networkmanager')!;
  assert.equal(nm.nics, ['eno1']);
  assert.equal(nm.evidence.find((e) => e.key === 'detect.why.nmPlugins')?.params, { plugins: 'keyfile' });
});

test('ifupdown vs ifupdown-ng: /sbin/ifup\'s package (dpkg list, apk db), else ifupdown-ng.conf', () => {
  const debian = root({ '/etc/network/interfaces': IFACES, '/var/lib/dpkg/info/ifupdown.list': '/.\n/sbin\n/sbin/ifup\n', [`${WANTS}/networking.service`]: '-> /lib/systemd/system/networking.service' });
  assert.is(decide(debian).backend, 'ifupdown');
  assert.ok(decide(debian).claims[0].active);
  const alpine = root({
    '/etc/network/interfaces': IFACES,
    '/lib/apk/db/installed': 'C:Q1abc=\nP:busybox\nV:1.36.1-r29\nF:sbin\nR:ifup\n\nC:Q1def=\nP:ifupdown-ng\nV:0.12.1-r6\nF:sbin\nR:ifup\nR:ifdown\nR:ifquery\n',
    '/etc/runlevels/boot/networking': '-> /etc/init.d/networking',
  });
  const a = decide(alpine);
  assert.is(a.backend, 'ifupdown-ng');
  assert.ok(a.claims[0].active, 'OpenRC boot runlevel counts as starting at boot');
  assert.equal(a.claims[0].evidence[0], { key: 'detect.why.ifupOwner', params: { pkg: 'ifupdown-ng' } });
  const conf = root({ '/etc/network/interfaces': IFACES, '/etc/network/ifupdown-ng.conf': 'allow_addons=\n' });
  assert.is(decide(conf).backend, 'ifupdown-ng');
});

test('NetworkManager\'s version: dpkg\'s status on Debian/Ubuntu, else the versioned plugin directory (Ubuntu 1.46.0, RHEL 1.46.0-20.el9_4)', () => {
  const deb = root({
    '/etc/NetworkManager/NetworkManager.conf': '[main]\nplugins=ifupdown,keyfile\n',
    '/var/lib/dpkg/status': 'Package: network-manager\nStatus: deinstall ok config-files\nVersion: 1.30.0-2\n\nPackage: network-manager\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.42.4-1+deb12u1\n',
  });
  assert.is(decide(deb).claims.find((c) => c.backend === 'networkmanager')?.version, '1.42.4-1+deb12u1');
  const desktop = decide(path.join(MANAGERS, 'ubuntu2404-desktop', 'root'));
  assert.is(desktop.claims.find((c) => c.backend === 'networkmanager')?.version, '1.46.0');
});

test('netplan files without netplan\'s generator are read by nothing: the active NetworkManager wins', () => {
  const dir = root({
    '/etc/netplan/50-cloud-init.yaml': 'network:\n  version: 2\n  ethernets:\n    eno1:\n      dhcp4: true\n',
    [`${WANTS}/NetworkManager.service`]: '-> /usr/lib/systemd/system/NetworkManager.service',
    '/etc/NetworkManager/system-connections/eno1.nmconnection': KEYFILE,
  });
  const d = decide(dir);
  assert.is(d.backend, 'networkmanager');
  const netplan = d.claims.find((c) => c.backend === 'netplan')!;
  assert.is(netplan.active, false);
  assert.ok(netplan.evidence.some((e) => e.key === 'detect.why.noNetplanGenerator'));
});

test('a root with no boot evidence is decided by its files, as before (the existing fixtures keep their backend)', () => {
  for (const [fixture, backend] of [['centos5', 'ifcfg'], ['rhel-xl', 'ifcfg'], ['debian12', 'ifupdown']] as const) {
    assert.is(decide(FIXTURES[fixture], 'eth0').backend, backend, fixture);
  }
});

test('/etc/os-release: quoted values, ID_LIKE split', () => {
  const d = readOsRelease(new RootFs(path.join(MANAGERS, 'rocky9', 'root')))!;
  assert.equal(d, { id: 'rocky', like: ['rhel', 'centos', 'fedora'], versionId: '9.4', prettyName: 'Rocky Linux 9.4 (Blue Onyx)' });
  assert.is(readOsRelease(new RootFs(tempDir())), null);
});

/** ifupdown and NetworkManager both enabled, both configuring eno1 (the Debian host where NM was added). */
function conflictRoot(): string {
  const dir = root({
    '/etc/network/interfaces': IFACES,
    [`${WANTS}/networking.service`]: '-> /lib/systemd/system/networking.service',
    [`${WANTS}/NetworkManager.service`]: '-> /usr/lib/systemd/system/NetworkManager.service',
    '/etc/NetworkManager/NetworkManager.conf': '[main]\nplugins=ifupdown,keyfile\n',
    '/etc/NetworkManager/system-connections/eno1.nmconnection': KEYFILE,
    '/etc/os-release': 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
  });
  fs.cpSync(path.join(MANAGERS, 'rocky9', 'root', 'sys'), path.join(dir, 'sys'), { recursive: true });
  fs.cpSync(path.join(MANAGERS, 'rocky9', 'root', 'proc'), path.join(dir, 'proc'), { recursive: true });
  return dir;
}

test('two active managers configure the NIC: detect says so; plan without a TTY exits 2 naming both and answer "backend", nothing changed', () => {
  const dir = conflictRoot();
  const d = decide(dir);
  assert.equal(d.conflict, ['ifupdown', 'networkmanager']);
  const shown = runCli(['detect', '--root', dir]);
  assert.is(shown.status, 0, shown.stderr);
  assert.match(shown.stdout, /distribution: Debian GNU\/Linux 12 \(bookworm\)/);
  assert.match(shown.stdout, /ifupdown, networkmanager all start at boot and configure eno1/);
  const json = JSON.parse(runCli(['detect', '--root', dir, '--json']).stdout);
  assert.equal(json.backendConflict, ['ifupdown', 'networkmanager']);
  const before = treeFingerprint(dir);
  const a = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge' });
  for (const lang of ['en', 'ja']) {
    const r = runCli(['apply', '--root', dir, '--answers', a, '--yes', '--lang', lang]);
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, /ifupdown, networkmanager/);
    assert.match(r.stderr, /"backend"/);
  }
  assert.equal(fingerprintDiff(before, treeFingerprint(dir)), []);
  const chosen = writeJson(path.join(tempDir(), 'b.json'), { recipe: 'single-bridge', backend: 'networkmanager' });
  const planned = runCli(['plan', '--root', dir, '--answers', chosen, '--json']);
  assert.is(planned.status, 0, planned.stderr);
  assert.is(JSON.parse(planned.stdout).backend, 'networkmanager');
});

test('in the wizard, the two claimants are offered (answer "backend"); a given answer is not asked again', async () => {
  const host = await detectHost(new RootFs(conflictRoot()), { live: false, ip: async () => { throw new Error('no ip'); } });
  const asked: { message: string; choices: unknown[] }[] = [];
  const ask = { select: async (q: { message: string; choices: { value: string }[] }) => { asked.push(q); return q.choices[1].value; } };
  const ctx = { interactive: true, t: (key: string) => key };
  const answers: Record<string, unknown> = { recipe: 'single-bridge' };
  await recipeStep({ ctx, answers, ask, host } as never);
  assert.equal(asked.map((q) => [q.message, (q.choices as { value: string }[]).map((c) => c.value)]), [['q.backend', ['ifupdown', 'networkmanager']]]);
  assert.is(answers.backend, 'networkmanager');
  await recipeStep({ ctx, answers, ask, host } as never);
  assert.is(asked.length, 1);
});

test.run();
