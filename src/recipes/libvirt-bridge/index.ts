// Recipe libvirt-bridge (seed 003, the RHEL manual's "bridged networking with libvirt"): the
// distribution's own network scripts build br0 over the NIC (ifcfg-eth0 BRIDGE=br0, ifcfg-br0
// TYPE=Bridge DELAY=0), Xen's network script is disabled, NetworkManager is handled, bridged
// traffic gets through the host's firewall, libvirtd is reloaded and the guests use br0.
// libvirt's NAT virbr0 stays as it is: "this bridge is completely independent of virbr0" (line 72).
import type { Answers } from '../../model/answers.js';
import type { HostFacts } from '../../model/host.js';
import { emptyTopology, type PortedBridge } from '../../model/topology.js';
import type { Planned, Recipe, RecipeInputs } from '../types.js';
import { InputError } from '../../errors.js';
import { validateIfaceName } from '../shared/ifaceName.js';
import { checkGuests, resolvedMacs } from '../shared/guestVifs.js';
import { checkNic } from '../shared/nicAddress.js';
import { guestsOnBridge, natBridge, planVifMoves, singleBridgeDefaults } from '../shared/bridgeMove.js';
import { BRIDGE_NF_SYSCTLS } from './netfilter.js';
import { planLibvirtBridge } from './plan.js';
import { NETFILTER_CHOICES, NM_CHOICES, type LibvirtBridgeResolution } from './resolution.js';

export const ID = 'libvirt-bridge';

export function libvirtBridgeDefaults(host: HostFacts): Answers {
  const single = singleBridgeDefaults(host);
  return {
    profile: single.profile,
    backend: 'ifcfg',
    'wan.nic': single['wan.nic'],
    'wan.bridge': 'br0',
    guests: guestsOnBridge(host, natBridge(host)),
    macs: 'auto',
    // The manual's note (line 22): NM_CONTROLLED=no keeps NetworkManager off these two files and
    // touches no service; `disable` is its main text (lines 15–18).
    'libvirt.nm': 'nm-controlled-no',
    // The manual's main text (line 53) on its era; today's RHEL has no iptables service by default.
    'libvirt.netfilter': single.profile === 'xend' ? 'iptables' : 'sysctl',
  };
}

export function resolveLibvirtBridge(answers: Answers, inputs: RecipeInputs): LibvirtBridgeResolution {
  const { host } = inputs;
  const d = libvirtBridgeDefaults(host);
  const pick = <T>(id: string) => (answers[id] ?? d[id]) as T;
  const profile = pick<'xend' | 'xl'>('profile');
  // The manual's procedure is RHEL's network scripts (ifcfg files): another backend is another recipe.
  const backend = (answers.backend ?? (host.backend === 'unknown' ? 'ifcfg' : host.backend)) as string;
  if (backend !== 'ifcfg') throw new InputError('error.libvirtBridgeIfcfg', { backend, id: 'backend' });
  const nic = pick<string>('wan.nic');
  const name = pick<string>('wan.bridge');
  checkNic(host, nic, 'wan.nic');
  const link = host.links.find((l) => l.name === nic);
  if (link?.isBridge) throw new InputError('error.nicIsBridge', { nic });
  if (link?.master && link.master !== name) throw new InputError('error.nicEnslaved', { nic, master: link.master });
  validateIfaceName(name, 'wan.bridge');
  const taken = host.links.find((l) => l.name === name);
  if (taken && !taken.isBridge) throw new InputError('error.bridgeNameTaken', { bridge: name });
  if (name === natBridge(host) || name === nic) throw new InputError('error.bridgeIsNat', { bridge: name });
  const guests = pick<string[]>('guests');
  checkGuests(host, guests, 'guests');
  const nm = pick<LibvirtBridgeResolution['nm']>('libvirt.nm');
  const netfilter = pick<LibvirtBridgeResolution['netfilter']>('libvirt.netfilter');
  const topology = emptyTopology(ID, profile, 'ifcfg', natBridge(host));
  const bridge: PortedBridge = { name, nic, stp: false, forwardDelay: 0, antispoof: false };
  topology.bridges.push(bridge);
  topology.vifMoves = planVifMoves(host, answers, guests, name, inputs.random);
  topology.sysctls = netfilter === 'sysctl' ? BRIDGE_NF_SYSCTLS : [];
  return { topology, bridge, nm, netfilter };
}

function planned(answers: Answers, inputs: RecipeInputs): Planned {
  const r = resolveLibvirtBridge(answers, inputs);
  const plan = planLibvirtBridge(r, inputs);
  const resolved: Answers = {
    ...libvirtBridgeDefaults(inputs.host),
    ...answers,
    profile: r.topology.profile,
    backend: 'ifcfg',
    'wan.nic': r.bridge.nic,
    'wan.bridge': r.bridge.name,
    'libvirt.nm': r.nm,
    'libvirt.netfilter': r.netfilter,
    macs: resolvedMacs(r.topology.vifMoves, answers.macs),
  };
  return { plan, topology: r.topology, answers: resolved };
}

export const libvirtBridge: Recipe = {
  id: ID,
  source: 'seed 003',
  questions: [
    { id: 'wan.nic', kind: 'string', prompt: 'nic', message: 'q.libvirtBridge.nic' },
    { id: 'wan.bridge', kind: 'string', prompt: 'input', message: 'q.libvirtBridge.bridge', validate: (v) => validateIfaceName(v, 'wan.bridge') },
    { id: 'guests', kind: 'string[]', prompt: 'guests', message: 'q.libvirtBridge.guests' },
    { id: 'macs', kind: 'macs' },
    { id: 'libvirt.nm', kind: 'string', choices: NM_CHOICES, prompt: 'select', profile: 'xend' },
    { id: 'libvirt.netfilter', kind: 'string', choices: NETFILTER_CHOICES, prompt: 'select' },
  ],
  defaults: libvirtBridgeDefaults,
  plan: planned,
};
