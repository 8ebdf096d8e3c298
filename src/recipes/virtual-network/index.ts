// Recipe virtual-network (seed 002 lines 91–95): all chosen guests on a bridge that only dom0 and
// the guests share, with DHCP served by dom0 (dnsmasq, bound to that bridge alone), so "DHCP
// requests from domU [never] escape onto the physical network" (line 93). The bridge has no
// port; forwarding is off on it, so nothing is routed between it and the LAN either.
import type { Answers } from '../../model/answers.js';
import type { HostFacts } from '../../model/host.js';
import { emptyTopology } from '../../model/topology.js';
import type { Planned, Recipe, RecipeInputs } from '../types.js';
import { InputError } from '../../errors.js';
import { validateIfaceName } from '../shared/ifaceName.js';
import { checkGuests, resolvedMacs } from '../shared/guestVifs.js';
import { guestsOnBridge, natBridge, planVifMoves, singleBridgeDefaults } from '../shared/bridgeMove.js';
import { checkNoOverlap, networksInUse, overlaps, parseInternalAddress, subnetOf, type Cidr } from '../shared/internalNetwork.js';
import { planVirtualNetwork, type VnetResolution } from './plan.js';

export const ID = 'virtual-network';

const toInt = (ip: string) => ip.split('.').reduce((n, o) => (n * 256 + Number(o)) >>> 0, 0);
const toIp = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');

/** The default lease range: hosts .100–.199 of a /24 (or the upper half of the segment's hosts). */
export function defaultRange(address: Cidr): string {
  const net = toInt(subnetOf(address).split('/')[0]);
  const size = 2 ** (32 - address.prefix);
  const [from, to] = size >= 256 ? [100, 199] : [Math.floor(size / 2), size - 2];
  return `${toIp(net + from)},${toIp(net + to)}`;
}

export function vnetDefaults(host: HostFacts): Answers {
  const single = singleBridgeDefaults(host);
  return {
    profile: single.profile,
    backend: single.backend,
    'vnet.bridge': 'xenbr1',
    'vnet.address': '10.0.0.1/24',
    // Empty: hosts .100–.199 of the segment (computed from vnet.address).
    'vnet.dhcpRange': '',
    guests: guestsOnBridge(host, natBridge(host)),
    macs: 'auto',
  };
}

/** "a,b": two addresses of the segment, in order, neither dom0's nor its network/broadcast. */
export function parseRange(text: string, address: Cidr): [string, string] {
  const m = /^\s*([\d.]+)\s*[,-]\s*([\d.]+)\s*$/.exec(text);
  if (!m) throw new InputError('error.vnetRangeSyntax', { id: 'vnet.dhcpRange', value: text });
  const [a, b] = [m[1], m[2]].map((ip) => parseInternalAddress(`${ip}/${address.prefix}`, 'vnet.dhcpRange').ip);
  for (const ip of [a, b]) {
    if (!overlaps({ ip, prefix: 32 }, address) || ip === address.ip) {
      throw new InputError('error.vnetRangeOutside', { id: 'vnet.dhcpRange', value: text, address: `${address.ip}/${address.prefix}` });
    }
  }
  if (toInt(a) > toInt(b)) throw new InputError('error.vnetRangeSyntax', { id: 'vnet.dhcpRange', value: text });
  if (toInt(a) <= toInt(address.ip) && toInt(address.ip) <= toInt(b)) {
    throw new InputError('error.vnetRangeOutside', { id: 'vnet.dhcpRange', value: text, address: `${address.ip}/${address.prefix}` });
  }
  return [a, b];
}

export function resolveVirtualNetwork(answers: Answers, inputs: RecipeInputs): VnetResolution {
  const { host } = inputs;
  const d = vnetDefaults(host);
  const pick = <T>(id: string) => (answers[id] ?? d[id]) as T;
  const bridge = pick<string>('vnet.bridge');
  validateIfaceName(bridge, 'vnet.bridge');
  const link = host.links.find((l) => l.name === bridge);
  if (link && !link.isBridge) throw new InputError('error.bridgeNameTaken', { bridge, id: 'vnet.bridge' });
  if (bridge === natBridge(host) || host.libvirtNetworks.some((n) => n.bridge === bridge)) {
    throw new InputError('error.vnetBridgeLibvirt', { bridge, id: 'vnet.bridge' });
  }
  // A bridge of dom0's that has a NIC as port is on the LAN: a virtual network must have none.
  const nicPort = link?.ports.find((p) => !/^(vif|tap)/.test(p));
  if (nicPort) throw new InputError('error.vnetBridgeHasPort', { bridge, port: nicPort, id: 'vnet.bridge' });
  const address = parseInternalAddress(pick<string>('vnet.address'), 'vnet.address');
  checkNoOverlap(address, networksInUse(host, inputs.read, inputs.interfaces, { name: '', bridge }), 'vnet.address');
  const rangeText = (answers['vnet.dhcpRange'] as string | undefined) || defaultRange(address);
  const range = parseRange(rangeText, address);
  const guests = pick<string[]>('guests');
  checkGuests(host, guests, 'guests');
  const topology = emptyTopology(ID, pick('profile'), pick('backend'), natBridge(host));
  topology.bridges.push({ name: bridge, nic: null, stp: false, forwardDelay: 0, antispoof: false, address });
  topology.vifMoves = planVifMoves(host, answers, guests, bridge, inputs.random);
  // Nothing is routed between the segment and the LAN: packets that arrive on the bridge are never
  // forwarded, whatever ip_forward says (dom0 may route for other reasons).
  topology.sysctls = [{ key: `net.ipv4.conf.${bridge}.forwarding`, value: '0' }];
  return { topology, bridge, address, range };
}

function planned(answers: Answers, inputs: RecipeInputs): Planned {
  const r = resolveVirtualNetwork(answers, inputs);
  const plan = planVirtualNetwork(r, inputs);
  const resolved: Answers = {
    ...vnetDefaults(inputs.host),
    ...answers,
    profile: r.topology.profile,
    backend: r.topology.backend as Answers['backend'],
    'vnet.bridge': r.bridge,
    'vnet.address': `${r.address.ip}/${r.address.prefix}`,
    'vnet.dhcpRange': r.range.join(','),
    macs: resolvedMacs(r.topology.vifMoves, answers.macs),
  };
  return { plan, topology: r.topology, answers: resolved };
}

export const virtualNetwork: Recipe = {
  id: ID,
  source: 'seed 002: 91–95',
  questions: [
    { id: 'vnet.bridge', kind: 'string', prompt: 'input', validate: (v) => validateIfaceName(v, 'vnet.bridge') },
    { id: 'vnet.address', kind: 'string', prompt: 'input', validate: (v) => { parseInternalAddress(v, 'vnet.address'); } },
    { id: 'vnet.dhcpRange', kind: 'string', prompt: 'input' },
    { id: 'guests', kind: 'string[]', prompt: 'guests', message: 'q.vnet.guests' },
    { id: 'macs', kind: 'macs' },
  ],
  defaults: vnetDefaults,
  plan: planned,
};
