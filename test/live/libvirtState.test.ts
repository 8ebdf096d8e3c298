// libvirt's view of a live dom0 from virsh, in a constant number of virsh processes: the answers
// below are virsh 9.0's own output (recorded from the real libvirtd of test/libvirt, `virsh -q`,
// whose `echo` ends without a newline), fed through a fake virsh that also counts its calls.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mergeLibvirtState, readLibvirtState, type Virsh } from '../../src/live/libvirtState.js';
import type { LibvirtNetwork } from '../../src/model/host.js';

const INFO = (name: string, active: string, autostart: string, bridge: string) =>
  `Name:           ${name}\nUUID:           3b2bbd3e-a2e5-4a0a-9a14-6c3f2e8f3d11\nActive:         ${active}\nPersistent:     yes\nAutostart:      ${autostart}\nBridge:         ${bridge}\n`;
const NET_XML = "<network>\n  <name>default</name>\n  <forward mode='nat'>\n    <nat>\n      <port start='1024' end='65535'/>\n    </nat>\n  </forward>\n  <bridge name='virbr0' stp='on' delay='0'/>\n</network>\n";
const ISOLATED_XML = "<network>\n  <name>virnet1</name>\n  <bridge name='virbr1' stp='off' delay='0'/>\n</network>\n";
const DOMAIN = (name: string, nets: string[]) => `<domain type='xen'>\n  <name>${name}</name>\n  <devices>\n${nets.map((n) => `    <interface type='network'>\n      <source network='${n}'/>\n    </interface>\n`).join('')}    <interface type='bridge'>\n      <source bridge='xenbr0'/>\n    </interface>\n  </devices>\n</domain>\n`;

/** A virsh that answers `;`-separated commands the way virsh -q does, and records each call. */
function fakeVirsh(domains: Record<string, string[]>, failing: string[] = []): { virsh: Virsh; calls: string[] } {
  const calls: string[] = [];
  const one = (cmd: string): string => {
    const [verb, ...rest] = cmd.trim().split(/\s+/);
    const arg = rest.join(' ').replace(/^'|'$/g, '');
    if (failing.includes(arg)) return '';
    if (verb === 'echo') return arg;
    if (verb === 'net-list') return 'default\nvirnet1\n';
    if (verb === 'net-info') return arg === 'default' ? INFO('default', 'yes', 'no', 'virbr0') : INFO('virnet1', 'no', 'yes', 'virbr1');
    if (verb === 'net-dumpxml') return arg === 'default' ? NET_XML : ISOLATED_XML;
    if (verb === 'list') return Object.keys(domains).join('\n') + '\n';
    if (verb === 'dumpxml') return DOMAIN(arg, domains[arg]);
    throw new Error(`unexpected virsh command ${cmd}`);
  };
  return { calls, virsh: async (commands) => {
    calls.push(commands);
    return { exitCode: 0, stdout: commands.split(' ; ').map(one).join('') };
  } };
}

const files: LibvirtNetwork[] = [
  { name: 'default', path: '/etc/libvirt/qemu/networks/default.xml', bridge: 'virbr0', forwardMode: 'nat', autostart: false, autostartPath: null },
  { name: 'virnet1', path: '/etc/libvirt/qemu/networks/virnet1.xml', bridge: 'virbr1', forwardMode: null, autostart: false, autostartPath: null },
];

test('running, autostart and the domains using each network, from three virsh processes for any number of domains', async () => {
  const domains = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`g${i}`, i % 2 ? ['default'] : ['default', 'virnet1']]));
  const { virsh, calls } = fakeVirsh(domains);
  const state = (await readLibvirtState(virsh))!;
  assert.is(calls.length, 3);
  assert.equal(state.networks, [
    { name: 'default', active: true, autostart: false, persistent: true, bridge: 'virbr0', forwardMode: 'nat' },
    { name: 'virnet1', active: false, autostart: true, persistent: true, bridge: 'virbr1', forwardMode: null },
  ]);
  assert.equal(state.domains.g0, ['default', 'virnet1'], 'type=network interfaces only, once each');
  assert.equal(state.domains.g1, ['default']);
  const merged = mergeLibvirtState(files, state);
  assert.is(merged[0].active, true, 'default runs though no autostart link says so');
  assert.is(merged[0].usedBy!.length, 50);
  assert.equal([merged[1].active, merged[1].autostart, merged[1].autostartFiles, merged[1].autostartPath],
    [false, true, false, '/etc/libvirt/qemu/networks/autostart/virnet1.xml'], 'libvirt\'s autostart wins; the files\' word is kept');
});

test('a network libvirt does not answer for keeps the files\' facts; no libvirtd at all means none of libvirt\'s', async () => {
  const { virsh } = fakeVirsh({}, ['virnet1']);
  const merged = mergeLibvirtState(files, (await readLibvirtState(virsh))!);
  assert.is(merged[1], files[1]);
  assert.is(await readLibvirtState(async () => ({ exitCode: 1, stdout: '' })), null);
});

test.run();
