// Recipe routed-lan (seed 000 lines 385–533): guests with a WAN vif on the eth0 bridge and a LAN
// vif on a non-NAT libvirt virbr0 (<forward mode='route' dev='eth1'/>), dom0 routing between
// eth1 and virbr0 only, so the LAN sees the guests' real addresses (line 393).
import type { Answers } from '../../model/answers.js';
import type { HostFacts } from '../../model/host.js';
import { bridges, nics } from '../../model/host.js';
import { emptyTopology, type Topology } from '../../model/topology.js';
import type { Recipe, RecipeInputs, Planned } from '../types.js';
import { InputError } from '../../errors.js';
import { validateIfaceName } from '../shared/ifaceName.js';
import { checkGuests } from '../shared/guestVifs.js';
import { guestsOnBridge, natBridge, singleBridgeDefaults } from '../shared/bridgeMove.js';
import { planGuestVifs } from './vifs.js';
import { checkNoOverlap, networksInUse, parseInternalAddress, validateNetworkName } from '../shared/internalNetwork.js';
import { checkNic, detectNicAddress, wanNetworks } from './answers.js';
import { routedTopologyParts } from './layout.js';
import { planRoutedLan } from './plan.js';

export const ID = 'routed-lan';

export function routedDefaults(host: HostFacts): Answers {
  const single = singleBridgeDefaults(host);
  let wanNic = single['wan.nic'];
  let wanBridge = single['wan.bridge'];
  const routeDev = host.links.find((l) => l.name === host.defaultRouteNic);
  if (host.profile === 'xend' && routeDev?.isBridge) {
    // Xen 3.2 (Fedora 8, the guide's dom0) names the bridge after the NIC: bridge=eth0 netdev=eth0
    // (seed 000 lines 387, 452).
    wanNic = routeDev.name;
    wanBridge = routeDev.name;
  } else {
    // Xen 3.0 (RHEL/CentOS 5.x): xenbr0 over peth0, dom0 keeps eth0 (lines 387, 455). xl: the
    // bridge that already has the NIC as its port, else xenbr0.
    wanBridge = bridges(host).find((b) => b.ports.includes(wanNic) || b.ports.includes(`p${wanNic}`))?.name ?? wanBridge;
  }
  const taken = new Set([wanNic, `p${wanNic}`]);
  const lanNic = nics(host).find((l) => !taken.has(l.name) && !l.master && !l.isBridge)?.name ?? 'eth1';
  return {
    profile: single.profile,
    backend: single.backend,
    'wan.nic': wanNic,
    'wan.bridge': wanBridge,
    'routed.nic': lanNic,
    'routed.network': 'virnet0',
    'routed.bridge': natBridge(host),
    'routed.address': '192.168.122.1/24',
    guests: guestsOnBridge(host, natBridge(host)),
    macs: 'auto',
    'routed.acceptRedirects': false,
  };
}

function pick<T>(answers: Answers, defaults: Answers, id: string): T {
  return (answers[id] ?? defaults[id]) as T;
}

export function resolveRoutedLan(answers: Answers, inputs: RecipeInputs): { topology: Topology; lanIndex: Record<string, number> } {
  const { host, read } = inputs;
  const d = routedDefaults(host);
  const profile = pick<'xend' | 'xl'>(answers, d, 'profile');
  const wanNic = pick<string>(answers, d, 'wan.nic');
  const wanBridge = pick<string>(answers, d, 'wan.bridge');
  const lanNic = pick<string>(answers, d, 'routed.nic');
  const network = pick<string>(answers, d, 'routed.network');
  const virBridge = pick<string>(answers, d, 'routed.bridge');
  checkNic(host, wanNic, 'wan.nic');
  checkNic(host, lanNic, 'routed.nic');
  if (lanNic === wanNic) throw new InputError('error.routedNicIsWan', { nic: lanNic });
  const lanLink = host.links.find((l) => l.name === lanNic);
  if (lanLink?.master) throw new InputError('error.nicEnslaved', { nic: lanNic, master: lanLink.master });
  validateIfaceName(wanBridge, 'wan.bridge');
  validateIfaceName(virBridge, 'routed.bridge');
  // Only Xen 3.2's network-bridge builds a bridge named like its NIC (line 452); elsewhere they clash.
  if (wanBridge === wanNic && profile === 'xl') throw new InputError('error.bridgeIsNic', { bridge: wanBridge });
  for (const [id, name] of [['wan.bridge', wanBridge], ['routed.bridge', virBridge]] as const) {
    const link = host.links.find((l) => l.name === name);
    if (link && !link.isBridge && name !== wanNic) throw new InputError('error.bridgeNameTaken', { bridge: name, id });
  }
  if (virBridge === wanBridge || virBridge === lanNic) throw new InputError('error.routedBridgeClash', { bridge: virBridge });
  validateNetworkName(network, 'routed.network');
  const virt = parseInternalAddress(pick<string>(answers, d, 'routed.address'), 'routed.address');
  // Empty (the wizard's answer when the admin leaves it to detection) or absent: from the NIC's config.
  const nicAddress = (answers['routed.nicAddress'] as string | undefined)
    || detectNicAddress(lanNic, read, inputs.interfaces, inputs.live);
  if (!nicAddress) throw new InputError('error.routedNicAddressMissing', { nic: lanNic, id: 'routed.nicAddress' });
  const lan = parseInternalAddress(nicAddress, 'routed.nicAddress');
  // dom0's own address on the WAN side stays on the NIC's name under xend (Xen 3.0's renamed veth,
  // or Xen 3.2's bridge named eth0 — line 391); on xl it moves to the bridge.
  const wanIf = profile === 'xend' ? wanNic : wanBridge;
  // Networks of libvirt's on the chosen bridge are replaced by ours: two cannot share a bridge.
  const replaced = host.libvirtNetworks.filter((n) => n.bridge === virBridge && n.name !== network).map((n) => n.name);
  // dom0's LAN address may overlap only the LAN NIC's own network; the routed network nothing but
  // the network it replaces on its bridge (libvirt's default on virbr0).
  checkNoOverlap(lan, networksInUse(host, read, inputs.interfaces, { name: network, bridge: lanNic }), 'routed.nicAddress');
  checkNoOverlap(virt, [...networksInUse(host, read, inputs.interfaces, { name: network, bridge: virBridge }), { cidr: lan, where: lanNic }], 'routed.address');
  const guests = pick<string[]>(answers, d, 'guests');
  checkGuests(host, guests, 'guests');
  const vifs = planGuestVifs(host, guests, wanBridge, virBridge, answers.macs, inputs.random);
  const topology = emptyTopology(ID, profile, pick(answers, d, 'backend'), virBridge);
  topology.bridges.push({ name: wanBridge, nic: wanNic, stp: false, forwardDelay: 0, antispoof: false });
  topology.vifMoves = vifs.moves;
  topology.libvirtDisable = replaced;
  Object.assign(topology, routedTopologyParts({
    network, virBridge, virt, lanNic, lan, wanIf, wanNet: wanNetworks(host, [wanNic, wanBridge])[0] ?? null,
    acceptRedirects: pick<boolean>(answers, d, 'routed.acceptRedirects'),
    lanIndex: vifs.lanIndex,
  }));
  return { topology, lanIndex: vifs.lanIndex };
}

function planned(answers: Answers, inputs: RecipeInputs): Planned {
  const { topology } = resolveRoutedLan(answers, inputs);
  const plan = planRoutedLan(topology, inputs);
  const macs: Record<string, string> = {};
  for (const move of topology.vifMoves) if (move.mac) macs[`${move.guest}#${move.index}`] = move.mac;
  const explicit = answers.macs && answers.macs !== 'auto' ? answers.macs : {};
  const nicAddress = answers['routed.nicAddress'] || topology.instructions.find((i) => i.key === 'instruction.routedUpstream')?.params.address;
  const resolved: Answers = {
    ...routedDefaults(inputs.host),
    ...answers,
    profile: topology.profile,
    backend: topology.backend as Answers['backend'],
    'routed.nicAddress': nicAddress,
    macs: Object.keys(macs).length ? { ...explicit, ...macs } : (answers.macs ?? 'auto'),
  };
  return { plan, topology, answers: resolved };
}

const checkAddress = (id: string) => (value: string) => {
  parseInternalAddress(value, id);
};

export const routedLan: Recipe = {
  id: ID,
  source: 'seed 000: 385–533',
  questions: [
    { id: 'wan.nic', kind: 'string', prompt: 'nic', message: 'q.routed.wanNic' },
    { id: 'wan.bridge', kind: 'string', prompt: 'input', message: 'q.routed.wanBridge', validate: (v) => validateIfaceName(v, 'wan.bridge') },
    { id: 'routed.nic', kind: 'string', prompt: 'nic' },
    { id: 'routed.nicAddress', kind: 'string', prompt: 'input', validate: (v) => (v === '' ? undefined : checkAddress('routed.nicAddress')(v)) },
    { id: 'routed.network', kind: 'string', prompt: 'input', validate: (v) => validateNetworkName(v, 'routed.network') },
    { id: 'routed.bridge', kind: 'string', prompt: 'input', validate: (v) => validateIfaceName(v, 'routed.bridge') },
    { id: 'routed.address', kind: 'string', prompt: 'input', validate: checkAddress('routed.address') },
    { id: 'guests', kind: 'string[]', prompt: 'guests', message: 'q.routed.guests' },
    { id: 'macs', kind: 'macs' },
    { id: 'routed.acceptRedirects', kind: 'boolean', prompt: 'confirm' },
  ],
  defaults: routedDefaults,
  plan: planned,
};

