// Recipe virtual-network's plan: the port-less bridge persisted by the host's network config
// (ifcfg on xend and RHEL-likes, interfaces(5) on Debian), dnsmasq's configuration for it, the
// bridge's `forwarding = 0`, the guests' vifs moved onto it; then `ifup`, the sysctl now, and
// dnsmasq restarted. Nothing of dom0's LAN interface is touched.
import type { FileChange, Plan, ReadFile, Step } from '../../model/plan.js';
import type { RecipeInputs } from '../types.js';
import { InputError } from '../../errors.js';
import { commandStep, fileStep, virshDefineSteps } from '../../model/steps.js';
import { renderGuestDefinitions } from '../../render/guestDefinitions.js';
import { sysctlPlan } from '../../render/sysctl.js';
import { IFCFG_DIR } from '../../detect/profile.js';
import { parseIfcfg, getVar } from '../../parse/ifcfg.js';
import type { InterfacesFile } from '../../parse/interfaces.js';
import type { Topology } from '../../model/topology.js';
import type { Cidr } from '../shared/internalNetwork.js';

export interface VnetResolution {
  topology: Topology;
  bridge: string;
  address: Cidr;
  range: [string, string];
}

const HEADER = 'xen-net-wizard, recipe virtual-network (seed 002 lines 91–95)';
const INTERFACES = '/etc/network/interfaces';
export const DNSMASQ_DIR = '/etc/dnsmasq.d';
const DNSMASQ_CONF = '/etc/dnsmasq.conf';

const netmask = (prefix: number) => [24, 16, 8, 0].map((s) => ((prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0) >>> s) & 0xff).join('.');

export const dnsmasqPath = (bridge: string) => `${DNSMASQ_DIR}/xen-net-wizard-${bridge}.conf`;

/**
 * dnsmasq for the segment only: it listens on the bridge alone (bind-interfaces: never on the
 * LAN NIC, so no DHCP answer can leave dom0 there), leases from the range, and names dom0 as
 * the guests' router and DNS server.
 */
export function renderDnsmasq(r: VnetResolution): string {
  return [
    `# ${HEADER}: DHCP for the guests on ${r.bridge}, served by dom0 only`,
    `interface=${r.bridge}`,
    'bind-interfaces',
    `dhcp-range=${r.range[0]},${r.range[1]},${netmask(r.address.prefix)},12h`,
    `dhcp-option=option:router,${r.address.ip}`,
    '',
  ].join('\n');
}

/** Debian's stanza: a bridge with no port (bridge-utils' `bridge_ports none`), dom0's address on it. */
function stanza(r: VnetResolution): string[] {
  return [
    `# ${HEADER}: guests and dom0 only, no port to the LAN`,
    `auto ${r.bridge}`,
    `iface ${r.bridge} inet static`,
    `\taddress ${r.address.ip}/${r.address.prefix}`,
    '\tbridge_ports none',
    '\tbridge_stp off',
    '\tbridge_fd 0',
  ];
}

function ifupdownFile(r: VnetResolution, files: InterfacesFile[], read: ReadFile): FileChange | null {
  const home = files.find((f) => f.ifaces.some((s) => s.name === r.bridge));
  const want = stanza(r);
  if (home) {
    // Ours, from an earlier run: nothing to do. Anyone else's: refused, it is not ours to rewrite.
    if (home.text.includes(want.slice(1).join('\n'))) return null;
    const s = home.ifaces.find((x) => x.name === r.bridge)!;
    throw new InputError('error.vnetBridgeConfigured', { bridge: r.bridge, file: home.file, line: s.startLine + 1 });
  }
  const file = read(INTERFACES);
  const before = file?.text ?? '';
  const sep = before === '' ? '' : before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  return { path: INTERFACES, mode: file?.mode ?? '0644', before: file ? before : null, after: `${before}${sep}${want.join('\n')}\n` };
}

/** ifcfg-BRIDGE: TYPE=Bridge (case as seed 003 line 49 warns), no port names it with BRIDGE=. */
function ifcfgFile(r: VnetResolution, read: ReadFile): FileChange | null {
  const path = `${IFCFG_DIR}/ifcfg-${r.bridge}`;
  const after = [
    `# ${HEADER}: guests and dom0 only, no port to the LAN`,
    `DEVICE=${r.bridge}`,
    'TYPE=Bridge',
    'BOOTPROTO=static',
    `IPADDR=${r.address.ip}`,
    `NETMASK=${netmask(r.address.prefix)}`,
    'ONBOOT=yes',
    'DELAY=0',
    'STP=off',
    '',
  ].join('\n');
  const file = read(path);
  if (file?.text === after) return null;
  if (file && getVar(parseIfcfg(file.text, path), 'TYPE') !== undefined) {
    throw new InputError('error.vnetBridgeConfigured', { bridge: r.bridge, file: path, line: 1 });
  }
  return { path, mode: file?.mode ?? '0644', before: file?.text ?? null, after };
}

/** xend era (CentOS 5's dnsmasq reads only dnsmasq.conf): a conf-dir line for /etc/dnsmasq.d. */
function dnsmasqConfDir(read: ReadFile): FileChange | null {
  const file = read(DNSMASQ_CONF);
  const before = file?.text ?? '';
  if (before.split('\n').some((l) => /^\s*conf-dir\s*=\s*\/etc\/dnsmasq\.d\/?(\s|,|$)/.test(l))) return null;
  const sep = before === '' || before.endsWith('\n') ? '' : '\n';
  return { path: DNSMASQ_CONF, mode: file?.mode ?? '0644', before: file ? before : null, after: `${before}${sep}conf-dir=${DNSMASQ_DIR}\n` };
}

export function planVirtualNetwork(r: VnetResolution, inputs: RecipeInputs): Plan {
  const { read } = inputs;
  const { topology } = r;
  const xend = topology.profile === 'xend';
  const backend = xend ? 'ifcfg' : topology.backend;
  if (backend !== 'ifcfg' && backend !== 'ifupdown') throw new InputError('error.backendUnsupported', { backend });
  const bridgeFile = backend === 'ifcfg' ? ifcfgFile(r, read) : ifupdownFile(r, inputs.interfaces, read);
  const conf = renderDnsmasq(r);
  const confPath = dnsmasqPath(r.bridge);
  const current = read(confPath);
  const dnsmasqFile: FileChange | null = current?.text === conf ? null : { path: confPath, mode: current?.mode ?? '0644', before: current?.text ?? null, after: conf };
  const confDir = xend && dnsmasqFile ? dnsmasqConfDir(read) : null;
  const sysctl = sysctlPlan(topology.profile, topology.sysctls, read, HEADER);
  const guests = renderGuestDefinitions(topology.vifMoves, read);
  const files = [bridgeFile, dnsmasqFile, confDir].filter((f): f is FileChange => f !== null);
  const steps: Step[] = [
    ...files.map(fileStep),
    ...sysctl.filter((s) => s.kind === 'file'),
    ...guests.map((g) => fileStep(g.change)),
  ];
  if (bridgeFile) {
    steps.push(commandStep(`ifup-${r.bridge}`, 'after-edit', ['ifup', r.bridge], {
      undo: ['ifdown', r.bridge],
      title: { key: 'step.vnetIfup', params: { bridge: r.bridge } },
    }));
  }
  // The bridge exists from here on: its forwarding flag can be set now.
  steps.push(...sysctl.filter((s) => s.kind === 'command'));
  if (dnsmasqFile || confDir) {
    const restart = xend ? ['service', 'dnsmasq', 'restart'] : ['systemctl', 'restart', 'dnsmasq'];
    steps.push(commandStep('dnsmasq-restart', 'after-edit', restart, {
      rerunOnRollback: true,
      title: { key: 'step.vnetDnsmasq', params: { command: restart.join(' ') } },
    }));
  }
  steps.push(...virshDefineSteps(guests.filter((g) => g.kind === 'libvirt-xml').map((g) => g.change.path)));
  const notes: Plan['notes'] = [{ key: 'note.vnetDnsmasq', params: { file: confPath } }];
  if (guests.length > 0) notes.push({ key: 'note.vnetGuests', params: { bridge: r.bridge } });
  return {
    recipe: topology.recipe,
    profile: topology.profile,
    backend,
    method: 'next-start',
    steps,
    notes: steps.length > 0 ? notes : [],
  };
}
