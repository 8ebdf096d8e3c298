// Recipe internal-l2 (seed 000 lines 85–199): single-bridge's xenbr0 for the LAN, plus an
// internal-only libvirt network (virnet1 on virbr1, 192.168.200.1/24, no <forward>) that every
// chosen guest joins with a second vif. Composed from single-bridge's resolution and plan.
import type { Answers } from '../../model/answers.js';
import type { HostFacts } from '../../model/host.js';
import { mainBridge, type LibvirtNetworkSpec, type Topology } from '../../model/topology.js';
import type { Planned, Recipe, RecipeInputs } from '../types.js';
import type { Step } from '../../model/plan.js';
import { commandStep } from '../../model/steps.js';
import { InputError } from '../../errors.js';
import { checkMac } from '../../mac.js';
import { natBridge, resolveSingleBridge, resolvedSingleBridgeAnswers, singleBridgeDefaults, type SingleBridgeDefaults } from '../shared/bridgeMove.js';
import { addVifs, checkGuests } from '../shared/guestVifs.js';
import { validateIfaceName } from '../shared/ifaceName.js';
import { checkNoOverlap, networksInUse, parseInternalAddress, subnetOf, validateNetworkName } from '../shared/internalNetwork.js';
import { bridgePlanInputs, planSingleBridge } from '../shared/bridgeMovePlan.js';
import { libvirtDefineSteps } from '../../render/libvirtNetwork.js';
import { procPath, sysctlPlan, sysctlSteps } from '../../render/sysctl.js';
import { internalL2Wrapper } from './wrapper.js';

export const RECIPE_ID = 'internal-l2';
const IP_FORWARD = 'net.ipv4.ip_forward';

export interface InternalL2Defaults extends SingleBridgeDefaults {
  'internal.network': string;
  'internal.bridge': string;
  'internal.address': string;
  'internal.guests': string[];
  'internal.macs': 'auto';
  'internal.ipForwardOff': boolean;
}

/** seed 000 lines 89, 97–101, 184–187: virnet1 on virbr1, 192.168.200.1/24, on every guest. */
export function internalL2Defaults(host: HostFacts): InternalL2Defaults {
  return {
    ...singleBridgeDefaults(host),
    'internal.network': 'virnet1',
    'internal.bridge': 'virbr1',
    'internal.address': '192.168.200.1/24',
    'internal.guests': host.guests.map((g) => g.name),
    'internal.macs': 'auto',
    'internal.ipForwardOff': true,
  };
}

/** The internal bridge: a valid name, not a link or libvirt bridge of anything but our own network. */
function checkInternalBridge(host: HostFacts, bridge: string, network: string, lan: { nic: string; bridge: string }): void {
  validateIfaceName(bridge, 'internal.bridge');
  if (bridge === lan.bridge || bridge === lan.nic || bridge === natBridge(host)) {
    throw new InputError('error.internalBridgeReserved', { id: 'internal.bridge', bridge });
  }
  const owner = host.libvirtNetworks.find((n) => n.bridge === bridge);
  if (owner && owner.name !== network) throw new InputError('error.internalBridgeOfNetwork', { id: 'internal.bridge', bridge, network: owner.name });
  const link = host.links.find((l) => l.name === bridge);
  if (link && !owner) throw new InputError('error.internalBridgeTaken', { id: 'internal.bridge', bridge });
}

function checkNetworkName(host: HostFacts, name: string, bridge: string): void {
  validateNetworkName(name);
  const existing = host.libvirtNetworks.find((n) => n.name === name);
  // Re-defining another network in place would cut off whatever uses it (e.g. "default").
  if (existing && existing.bridge !== bridge) {
    throw new InputError('error.networkNameTaken', { id: 'internal.network', value: name, bridge: existing.bridge ?? '-' });
  }
}

function internalMacs(host: HostFacts, answers: Answers): Record<string, string> | 'auto' {
  const macs = answers['internal.macs'] as Record<string, string> | 'auto' | undefined;
  if (!macs || macs === 'auto') return 'auto';
  for (const key of Object.keys(macs)) {
    if (!host.guests.some((g) => g.name === key.replace(/#\d+$/, ''))) throw new InputError('error.macsUnknownGuest', { guest: key });
    if (macs[key] !== 'auto') checkMac(macs[key], new Set(), `internal.macs.${key}`);
  }
  return macs;
}

export function resolveInternalL2(host: HostFacts, answers: Answers, inputs: Pick<RecipeInputs, 'read' | 'interfaces' | 'random'>): Topology {
  const defaults = internalL2Defaults(host);
  const pick = <K extends keyof InternalL2Defaults>(k: K) => (answers[k] ?? defaults[k]) as InternalL2Defaults[K];
  const topology = resolveSingleBridge(host, answers, inputs.random);
  const lan = mainBridge(topology);
  const network = pick('internal.network');
  const bridge = pick('internal.bridge');
  checkNetworkName(host, network, bridge);
  checkInternalBridge(host, bridge, network, { nic: lan.nic, bridge: lan.name });
  const address = parseInternalAddress(pick('internal.address'));
  checkNoOverlap(address, networksInUse(host, inputs.read, inputs.interfaces, { name: network, bridge }));
  const guests = pick('internal.guests');
  checkGuests(host, guests, 'internal.guests');
  // MACs handed out for the LAN vifs are in use too: one set for the whole plan.
  const inUse = new Set([...host.macsInUse, ...topology.vifMoves.flatMap((m) => (m.mac ? [m.mac] : []))]);
  const added = addVifs(host, guests, bridge, internalMacs(host, answers), inUse, inputs.random);
  const xl = topology.profile === 'xl';
  const spec: LibvirtNetworkSpec = {
    name: network, bridge, address, forward: null, autostart: true,
    // xl: no dnsmasq at all instead of the guide's iptables clean-up (src/recipes/internal-l2/README.md).
    ...(xl ? { dns: false } : {}),
  };
  return {
    ...topology,
    recipe: RECIPE_ID,
    vifMoves: [...topology.vifMoves, ...added],
    libvirtDefine: [spec],
    // xend: the wrapper's echo (seed 000 line 157); xl: persisted by sysctl.d. The guide turns it
    // off because nothing here routes (line 143); a NAT network left in use still needs it, so then
    // it stays on unless answered.
    sysctls: ((answers['internal.ipForwardOff'] as boolean | undefined) ?? !natLeftOn(host, topology))
      ? [{ key: IP_FORWARD, value: '0' }] : [],
  };
}

/**
 * Live xl dom0: each running guest gets its new vif now, by Xen's own hotplug (`xl network-attach`,
 * xl(1)), once the network's bridge exists; undone with `xl network-detach` by MAC. Guests not
 * running get it at their next start from the edited config.
 */
function attachSteps(topology: Topology, running: string[], bridge: string): Step[] {
  const seen = new Set<string>();
  return topology.vifMoves.filter((m) => m.add && m.mac && running.includes(m.guest) && !seen.has(m.guest) && seen.add(m.guest))
    .map((m) => commandStep(`xl-network-attach-${m.guest}`, 'after-edit', ['xl', 'network-attach', m.guest, `mac=${m.mac}`, `bridge=${bridge}`], {
      undo: ['xl', 'network-detach', m.guest, m.mac!],
      title: { key: 'step.internalL2.networkAttach', params: { guest: m.guest, bridge } },
    }));
}

/** A libvirt NAT network that stays on at boot after this plan (it needs ip_forward=1). */
function natLeftOn(host: HostFacts, topology: Topology) {
  return host.libvirtNetworks.find((n) => n.forwardMode === 'nat' && n.autostart && !topology.libvirtDisable.includes(n.name));
}

function planned(answers: Answers, inputs: RecipeInputs): Planned {
  const { host } = inputs;
  const topology = resolveInternalL2(host, answers, inputs);
  const lan = mainBridge(topology);
  const [spec] = topology.libvirtDefine;
  const network = libvirtDefineSteps(spec, host.libvirtNetworks, inputs.read);
  const xl = topology.profile === 'xl';
  // xl: persisted in sysctl.d and set now. xend: the wrapper's echo does it (line 157); a live
  // host still gets `sysctl -w` just before the wrapper runs, only so that rollback (which runs
  // the wrapper's `stop`, echo included) puts back the value the kernel had.
  const sysctl = xl
    ? sysctlPlan('xl', topology.sysctls, inputs.read, RECIPE_ID)
    : sysctlSteps(topology.sysctls.filter(({ key }) => inputs.read(procPath(key)) !== null), inputs.read);
  const attach = xl && inputs.live ? attachSteps(topology, inputs.live.running.map((r) => r.name), spec.bridge) : [];
  const plan = planSingleBridge({
    ...bridgePlanInputs(topology, inputs),
    wrapper: internalL2Wrapper(lan, spec.bridge, topology.sysctls.length > 0),
    extra: {
      files: [...network, ...sysctl].filter((s) => s.kind === 'file'),
      commands: [...network, ...sysctl].filter((s) => s.kind === 'command').concat(attach),
    },
  });
  if (plan.steps.length > 0 && topology.vifMoves.some((m) => m.add)) {
    const key = attach.length > 0 ? 'note.internalL2.guestAddressLive' : 'note.internalL2.guestAddress';
    plan.notes.push({ key, params: { subnet: subnetOf(spec.address) } });
  }
  const natStays = natLeftOn(host, topology);
  if (plan.steps.length > 0 && topology.sysctls.length > 0 && natStays) {
    plan.notes.push({ key: 'note.internalL2.forwardingNat', params: { network: natStays.name } });
  }
  // A new vif's MAC is keyed by the guest and the index it gets (addVifs reads the same keys).
  const macs: Record<string, string> = {};
  for (const move of topology.vifMoves.filter((m) => m.add && m.mac)) {
    const index = Math.max(...topology.vifMoves.filter((m) => m.add && m.guest === move.guest).map((m) => m.index));
    macs[`${move.guest}#${index}`] = move.mac!;
  }
  const given = answers['internal.macs'];
  const resolved: Answers = {
    ...internalL2Defaults(host),
    ...answers,
    ...resolvedSingleBridgeAnswers(host, answers, topology),
    'internal.ipForwardOff': topology.sysctls.length > 0,
    'internal.macs': Object.keys(macs).length ? { ...(given && given !== 'auto' ? given as Record<string, string> : {}), ...macs } : (given ?? 'auto'),
  };
  return { plan, topology, answers: resolved };
}

const MESSAGE = (id: string) => `q.${id.replace('internal.', 'internalL2.')}`;

export const internalL2: Recipe = {
  id: RECIPE_ID,
  source: 'seed 000: 85–199',
  // In the guide's order: the LAN bridge and guests (lines 91–134), then the internal network (182–191).
  questions: [
    { id: 'wan.nic', kind: 'string', prompt: 'nic', message: 'q.nic' },
    { id: 'wan.bridge', kind: 'string' },
    { id: 'guests', kind: 'string[]', prompt: 'guests', message: 'q.internalL2.lanGuests' },
    { id: 'macs', kind: 'macs' },
    { id: 'antispoof', kind: 'boolean' },
    { id: 'libvirt.disableDefault', kind: 'boolean' },
    { id: 'internal.network', kind: 'string', prompt: 'input', message: MESSAGE('internal.network'), validate: (v) => validateNetworkName(v) },
    { id: 'internal.bridge', kind: 'string', prompt: 'input', message: MESSAGE('internal.bridge'), validate: (v) => validateIfaceName(v, 'internal.bridge') },
    { id: 'internal.address', kind: 'string', prompt: 'input', message: MESSAGE('internal.address'), validate: (v) => parseInternalAddress(v) },
    { id: 'internal.guests', kind: 'string[]', prompt: 'guests', message: MESSAGE('internal.guests') },
    { id: 'internal.macs', kind: 'macs' },
    { id: 'internal.ipForwardOff', kind: 'boolean', prompt: 'confirm', message: MESSAGE('internal.ipForwardOff') },
  ],
  defaults: internalL2Defaults,
  plan: planned,
};
