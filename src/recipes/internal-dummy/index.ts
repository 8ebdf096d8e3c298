// Recipe internal-dummy (seed 000 lines 201–301): single-bridge's xenbr0 plus an internal-only
// xenbr1 — over dummy0 on xend (modprobe alias + numdummies, ifcfg-dummy0 with a fixed MAC), over
// a real second NIC when one is named (line 205), port-less on xl — and a second vif on xenbr1
// for every chosen guest, in every definition.
import type { Answers } from '../../model/answers.js';
import type { HostFacts } from '../../model/host.js';
import { bridges, nics } from '../../model/host.js';
import type { BridgeSpec, Topology, PortedBridge } from '../../model/topology.js';
import { mainBridge } from '../../model/topology.js';
import type { Planned, Recipe, RecipeInputs } from '../types.js';
import { InputError } from '../../errors.js';
import { checkMac, generateMacs, usedByOthers } from '../../mac.js';
import { validateIfaceName } from '../shared/ifaceName.js';
import { natBridge, resolveSingleBridge, resolvedSingleBridgeAnswers, singleBridgeDefaults } from '../shared/bridgeMove.js';
import { addVifs, checkGuests } from '../shared/guestVifs.js';
import { checkNoOverlap, networksInUse, parseInternalAddress } from '../shared/internalNetwork.js';
import { bridgePlanInputs, planSingleBridge } from '../shared/bridgeMovePlan.js';
import { existingDummyMac, internalWrapper, renderIfcfgDummy, renderModprobeConf } from './xend.js';
import { backendFor, findBackend } from '../../backends/registry.js';
import { renderSysctlFile, sysctlSteps } from '../../render/sysctl.js';
import { fileStep } from '../../model/steps.js';

export const DUMMY = 'dummy0';
const IP_FORWARD = 'net.ipv4.ip_forward';

export function internalDummyDefaults(host: HostFacts): Answers {
  return {
    ...singleBridgeDefaults(host),
    'internal.bridge': 'xenbr1',
    // Empty: no second NIC, the guide's dummy0 (xend) or a bridge with no port (xl).
    'internal.nic': '',
    // seed 000 lines 222–223: dom0's address on the internal segment.
    'internal.address': '192.168.200.1/24',
    'internal.mac': 'auto',
    'internal.macs': 'auto',
  };
}

/** A second NIC of the host: exists, is not the LAN NIC, is nobody's port but the internal bridge's. */
export function checkInternalNic(host: HostFacts, nic: string, wanNic: string, bridge: string): void {
  validateIfaceName(nic, 'internal.nic');
  if (nic === wanNic) throw new InputError('error.internalNicIsWan', { nic });
  if (host.linkSource === 'none') return;
  const link = host.links.find((l) => l.name === nic);
  const known = nics(host).map((l) => l.name).filter((n) => n !== wanNic).join(', ') || '-';
  if (!link) throw new InputError('error.internalNicNotFound', { nic, known });
  if (link.isBridge) throw new InputError('error.internalNicIsBridge', { nic });
  if (link.master && link.master !== bridge) throw new InputError('error.internalNicEnslaved', { nic, master: link.master });
}

export function checkInternalBridge(host: HostFacts, bridge: string, wanBridge: string, port: string | null): void {
  validateIfaceName(bridge, 'internal.bridge');
  const taken = (why: string) => new InputError('error.internalDummy.bridgeTaken', { bridge, why });
  if (bridge === wanBridge) throw taken('wan.bridge');
  if (bridge === natBridge(host) || host.libvirtNetworks.some((n) => n.bridge === bridge)) throw taken('libvirt');
  if (bridge === port || bridge === DUMMY) throw taken(port ?? DUMMY);
  const link = host.links.find((l) => l.name === bridge);
  if (link && !link.isBridge) throw taken('link');
  // An existing bridge with ports that are not ours (nor Xen's vifs) belongs to someone else.
  const foreign = link?.ports.filter((p) => p !== port && !/^(vif|tap|p?dummy|peth)/.test(p)) ?? [];
  if (foreign.length > 0) throw taken(foreign.join(' '));
}

export interface InternalResolved {
  topology: Topology;
  /** dom0's fixed MAC on the segment: ifcfg-dummy0's MACADDR (xend) or the port-less bridge's (xl). */
  mac: string | null;
}

export function resolveInternalDummy(inputs: RecipeInputs, answers: Answers): InternalResolved {
  const { host, read, random } = inputs;
  const d = internalDummyDefaults(host);
  const topology = resolveSingleBridge(host, answers, random);
  topology.recipe = 'internal-dummy';
  const main = mainBridge(topology);
  const name = (answers['internal.bridge'] as string | undefined) ?? (d['internal.bridge'] as string);
  const nic = ((answers['internal.nic'] as string | undefined) ?? '').trim() || null;
  if (nic) checkInternalNic(host, nic, main.nic, name);
  const xend = topology.profile === 'xend';
  // xend needs a netdev for network-bridge: the NIC or dummy0. On xl the bridge has no port.
  const port = nic ?? (xend ? DUMMY : null);
  checkInternalBridge(host, name, main.name, port);
  const addressText = (answers['internal.address'] as string | undefined) ?? (d['internal.address'] as string);
  const address = addressText.trim() === '' ? null : parseInternalAddress(addressText.trim(), 'internal.address');
  // The segment's own bridge and port (dummy0, or the NIC on an applied host) are no clash.
  if (address) checkNoOverlap(address, networksInUse(host, read, inputs.interfaces, { name: '', bridge: name }).filter((n) => n.where !== port));
  const inUse = new Set([...host.macsInUse, ...topology.vifMoves.map((m) => m.mac).filter((m): m is string => !!m)]);
  let mac: string | null = null;
  if (!nic) {
    const existing = xend ? existingDummyMac(DUMMY, read) : (findBackend(topology.backend)?.configuredMac(name, { read, interfaces: inputs.interfaces, list: inputs.list }) ?? null);
    const typed = (answers['internal.mac'] as string | undefined) ?? 'auto';
    if (typed !== 'auto') mac = checkMac(typed, usedByOthers(inUse, existing), 'internal.mac').mac;
    else mac = existing ?? generateMacs(1, inUse, random)[0];
    inUse.add(mac);
  }
  // The guide gives both guests both vifs; internal.guests (as in internal-l2) narrows the second.
  const guests = (answers['internal.guests'] as string[] | undefined) ?? (answers.guests as string[] | undefined) ?? (d.guests as string[]);
  checkGuests(host, guests, answers['internal.guests'] ? 'internal.guests' : 'guests');
  const typedMacs = answers['internal.macs'];
  for (const key of typedMacs && typedMacs !== 'auto' ? Object.keys(typedMacs as object) : []) {
    if (!host.guests.some((g) => g.name === key.replace(/#\d+$/, ''))) throw new InputError('error.macsUnknownGuest', { guest: key });
  }
  const internal: BridgeSpec = { name, nic: port, stp: false, forwardDelay: 0, antispoof: main.antispoof, address };
  topology.bridges.push(internal);
  if (xend && !nic) topology.dummies.push({ name: DUMMY, mac: mac! });
  topology.vifMoves.push(...addVifs(host, guests, name, answers['internal.macs'] as Record<string, string> | 'auto' | undefined, inUse, random));
  // seed 000 lines 241, 249: forwarding off "may" follow (してもよい) — nothing in this layout
  // routes. On xl only when libvirt's NAT network goes too: it is what needs forwarding there.
  const forwardingOff = (answers['internal.ipForwardOff'] as boolean | undefined) ?? (xend || topology.libvirtDisable.length > 0);
  if (forwardingOff) topology.sysctls.push({ key: IP_FORWARD, value: '0' });
  return { topology, mac };
}

function planned(answers: Answers, inputs: RecipeInputs): Planned {
  const { host } = inputs;
  const { topology, mac } = resolveInternalDummy(inputs, answers);
  const [main, internal] = topology.bridges as [PortedBridge, BridgeSpec];
  const dummy = topology.dummies[0];
  const xl = topology.profile === 'xl';
  // xl: ip_forward=0 persisted in sysctl.d and set now — set only when the file changes, so an
  // applied host plans nothing. xend: the wrapper's echo (line 249).
  const sysctl = xl ? renderSysctlFile('xl', topology.sysctls, inputs.read, 'xen-net-wizard: recipe internal-dummy (seed 000 line 249)') : null;
  const plan = planSingleBridge({
    ...bridgePlanInputs(topology, inputs),
    wrapper: xl ? undefined : internalWrapper(main, internal as PortedBridge, topology.sysctls.length > 0),
    extra: {
      files: [
        ...(dummy ? [renderModprobeConf(dummy, inputs.read), renderIfcfgDummy(dummy, internal.address ?? null, inputs.read)] : []),
        sysctl,
      ].filter((c) => c !== null).map(fileStep),
      commands: sysctl ? sysctlSteps(topology.sysctls, inputs.read) : [],
    },
    // xl: the internal bridge persisted by the host's backend. No dummy0 there: the guide needs
    // one only because xend's network-bridge builds a bridge around a netdev (seed 000 line 203).
    backendExtra: xl ? (read) => backendFor(topology.backend).internalBridge({ bridge: internal, mac }, { read, interfaces: inputs.interfaces, list: inputs.list }) : undefined,
  });
  // seed 000 line 301: the new NIC shows up in the guest at its next start, to be configured there.
  if (topology.vifMoves.some((m) => m.add)) plan.notes.push({ key: 'note.internalVifs', params: { bridge: internal.name } });
  const internalMacs: Record<string, string> = {};
  for (const move of topology.vifMoves) if (move.mac && move.add) internalMacs[`${move.guest}#${move.index}`] = move.mac;
  const given = answers['internal.macs'];
  const resolved: Answers = {
    ...internalDummyDefaults(host),
    ...answers,
    ...resolvedSingleBridgeAnswers(host, answers, topology),
    'internal.macs': Object.keys(internalMacs).length ? { ...(given && given !== 'auto' ? given as Record<string, string> : {}), ...internalMacs } : (given ?? 'auto'),
    'internal.mac': mac ?? 'auto',
    'internal.ipForwardOff': topology.sysctls.length > 0,
  };
  return { plan, topology, answers: resolved };
}

const validateNic = (value: string, host: HostFacts) => {
  if (value.trim() === '') return;
  const wan = host.defaultRouteNic && !bridges(host).some((b) => b.name === host.defaultRouteNic) ? host.defaultRouteNic : '';
  checkInternalNic(host, value.trim(), wan, '');
};

export const internalDummy: Recipe = {
  id: 'internal-dummy',
  source: 'seed 000: 201–301',
  // In the guide's order: the LAN bridge (line 246), the internal one (209–247), the guests (250–293).
  questions: [
    { id: 'wan.nic', kind: 'string', prompt: 'nic', message: 'q.internalDummy.wanNic' },
    { id: 'wan.bridge', kind: 'string', prompt: 'input', message: 'q.internalDummy.wanBridge', validate: (v) => validateIfaceName(v, 'wan.bridge') },
    { id: 'internal.nic', kind: 'string', prompt: 'input', message: 'q.internalDummy.nic', validate: validateNic },
    { id: 'internal.bridge', kind: 'string', prompt: 'input', message: 'q.internalDummy.bridge', validate: (v) => validateIfaceName(v, 'internal.bridge') },
    { id: 'internal.address', kind: 'string', prompt: 'input', message: 'q.internalDummy.address', validate: (v) => { if (v.trim()) parseInternalAddress(v.trim(), 'internal.address'); } },
    { id: 'internal.mac', kind: 'string' },
    { id: 'guests', kind: 'string[]', prompt: 'guests', message: 'q.internalDummy.guests' },
    { id: 'internal.guests', kind: 'string[]' },
    { id: 'macs', kind: 'macs' },
    { id: 'internal.macs', kind: 'macs' },
    { id: 'antispoof', kind: 'boolean', prompt: 'confirm', message: 'q.antispoof', profile: 'xend' },
    { id: 'internal.ipForwardOff', kind: 'boolean' },
    { id: 'libvirt.disableDefault', kind: 'boolean' },
  ],
  defaults: internalDummyDefaults,
  plan: planned,
};
