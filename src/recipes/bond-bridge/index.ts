// Recipe bond-bridge (seed 000 lines 303–383): bond0 over two NICs as the guests' main bridge
// (network-bridge-bonding), a third NIC as the back-LAN bridge xenbr0. Questions, defaults from
// detection, validation of every answer, answers → Topology; the plan is planBondBridge's.
import type { Answers } from '../../model/answers.js';
import type { HostFacts } from '../../model/host.js';
import { nics } from '../../model/host.js';
import { emptyTopology, type Topology } from '../../model/topology.js';
import type { Planned, Recipe, RecipeInputs } from '../types.js';
import { InputError } from '../../errors.js';
import type { RandomBytes } from '../../mac.js';
import { validateIfaceName } from '../shared/ifaceName.js';
import { addVifs, checkGuests } from '../shared/guestVifs.js';
import { guestsOnBridge, natBridge, planVifMoves, singleBridgeDefaults } from '../shared/bridgeMove.js';
import { planBondBridge } from './plan.js';
import { BOND_MODES, IP_FORWARD, bondDevice, checkBondMode } from './modes.js';

export const BOND_BRIDGE = 'bond0';
export const BACK_BRIDGE = 'xenbr0';

export function bondBridgeDefaults(host: HostFacts): Answers {
  const common = singleBridgeDefaults(host);
  const names = nics(host).filter((l) => !l.master || l.master === BOND_BRIDGE || l.master === bondDevice(BOND_BRIDGE)).map((l) => l.name);
  // seed 000 line 305: eth0 and eth2 bonded, eth1 alone. The NIC of the default route is the
  // first slave (its address moves to the bond's bridge); the back LAN takes the next NIC.
  const first = common['wan.nic'];
  const rest = names.filter((n) => n !== first);
  const slaves = [first, rest.length >= 2 ? rest[1] : rest[0]].filter((n): n is string => !!n);
  const back = rest.find((n) => !slaves.includes(n)) ?? '';
  return {
    profile: common.profile,
    backend: common.backend,
    'bond.slaves': slaves,
    // Active-backup: the guide bonds for redundancy ("冗長化", line 305); balance-rr behind a
    // bridge confuses the switch's MAC table (bonding.txt, "Configuring Bonding for Bridges").
    'bond.mode': 'active-backup',
    'bond.miimon': 100,
    'bond.bridge': BOND_BRIDGE,
    'back.nic': back,
    'back.bridge': BACK_BRIDGE,
    guests: common.guests,
    macs: 'auto',
    antispoof: true,
    'bond.ipForwardOff': true,
    'libvirt.disableDefault': true,
  };
}

/** A NIC that joins the bond or the back bridge: it exists, is no bridge, and nobody else's port. */
function checkPort(host: HostFacts, nic: string, id: string, ours: string[]): void {
  validateIfaceName(nic, id);
  if (host.linkSource === 'none') return;
  const link = host.links.find((l) => l.name === nic);
  if (!link) throw new InputError('error.bondNicNotFound', { id, nic, known: nics(host).map((l) => l.name).join(', ') || '-' });
  if (link.isBridge) throw new InputError('error.bondNicIsBridge', { id, nic });
  if (link.master && !ours.includes(link.master)) {
    const bridge = host.links.find((l) => l.name === link.master)?.isBridge ?? false;
    throw new InputError(bridge ? 'error.bondNicBridgePort' : 'error.bondNicEnslaved', { id, nic, master: link.master });
  }
}

function checkBridgeName(host: HostFacts, name: string, id: string, profile: string): void {
  validateIfaceName(name, id);
  if (name === natBridge(host)) throw new InputError('error.bondBridgeIsNat', { id, bridge: name });
  const link = host.links.find((l) => l.name === name);
  // On xend the bond itself carries this name until network-bridge-bonding renames it (line 328).
  if (link && !link.isBridge && !(profile === 'xend' && id === 'bond.bridge')) throw new InputError('error.bondBridgeTaken', { id, bridge: name });
}

export function resolveBondBridge(host: HostFacts, answers: Answers, random: RandomBytes): Topology {
  const d = bondBridgeDefaults(host);
  const get = <T>(id: string) => (answers[id] ?? d[id]) as T;
  const profile = get<'xend' | 'xl'>('profile');
  const slaves = get<string[]>('bond.slaves');
  const mode = checkBondMode(get<string>('bond.mode'));
  const miimon = get<number>('bond.miimon');
  const bridge = get<string>('bond.bridge');
  const back = get<string>('back.nic');
  const backBridge = get<string>('back.bridge');
  if (!Number.isInteger(miimon) || miimon < 1 || miimon > 60000) throw new InputError('error.bondMiimon', { value: String(miimon) });
  checkBridgeName(host, bridge, 'bond.bridge', profile);
  // The bond becomes p<name> (network-bridge-bonding's rename): one byte of IFNAMSIZ for the "p".
  validateIfaceName(bondDevice(bridge), 'bond.bridge');
  checkBridgeName(host, backBridge, 'back.bridge', profile);
  if (backBridge === bridge) throw new InputError('error.bondBridgesSame', { bridge });
  if (slaves.length < 2) throw new InputError('error.bondTooFewSlaves', { count: slaves.length });
  if (!back) throw new InputError('error.bondNoBackNic', { known: nics(host).map((l) => l.name).join(', ') || '-' });
  const all = [...slaves, back];
  const twice = all.find((n, i) => all.indexOf(n) !== i);
  if (twice) throw new InputError('error.bondNicTwice', { nic: twice });
  for (const s of slaves) checkPort(host, s, 'bond.slaves', [bridge, bondDevice(bridge)]);
  checkPort(host, back, 'back.nic', [backBridge]);
  const guests = get<string[]>('guests');
  checkGuests(host, guests, 'guests');

  const topology = emptyTopology('bond-bridge', profile, get('backend'), natBridge(host));
  const antispoof = get<boolean>('antispoof');
  topology.bonds.push({ name: bondDevice(bridge), slaves, mode, miimon });
  topology.bridges.push(
    { name: bridge, nic: bondDevice(bridge), stp: false, forwardDelay: 0, antispoof },
    { name: backBridge, nic: back, stp: false, forwardDelay: 0, antispoof },
  );
  // seed 000 lines 338/342: the guest's vif on virbr0 moves to bond0, a new one joins xenbr0.
  const moves = planVifMoves(host, answers, guests, bridge, random);
  const inUse = new Set([...host.macsInUse, ...moves.map((m) => m.mac).filter((m): m is string => !!m)]);
  topology.vifMoves = [...moves, ...addVifs(host, guests, backBridge, answers.macs, inUse, random)];
  // seed 000 line 331: the forwarding this layout does not need is switched off after the bridges.
  if (get<boolean>('bond.ipForwardOff')) topology.sysctls.push({ key: IP_FORWARD, value: '0' });
  const moving = new Set(guests);
  const left = guestsOnBridge(host, topology.sourceBridge).filter((g) => !moving.has(g));
  const disable = (answers['libvirt.disableDefault'] as boolean | undefined) ?? left.length === 0;
  if (disable && host.libvirtNetworks.some((n) => n.name === 'default')) topology.libvirtDisable = ['default'];
  return topology;
}

function planned(answers: Answers, inputs: RecipeInputs): Planned {
  const topology = resolveBondBridge(inputs.host, answers, inputs.random);
  const plan = planBondBridge(topology, inputs);
  const macs: Record<string, string> = {};
  for (const move of topology.vifMoves) if (move.mac) macs[`${move.guest}#${move.index}`] = move.mac;
  const given = answers.macs && answers.macs !== 'auto' ? answers.macs : {};
  const resolved: Answers = {
    ...bondBridgeDefaults(inputs.host),
    ...answers,
    profile: topology.profile,
    backend: topology.backend as Answers['backend'],
    'bond.mode': topology.bonds[0].mode,
    macs: Object.keys(macs).length ? { ...given, ...macs } : (answers.macs ?? 'auto'),
    'libvirt.disableDefault': topology.libvirtDisable.length > 0 || (answers['libvirt.disableDefault'] ?? false),
  };
  return { plan, topology, answers: resolved };
}

export const bondBridge: Recipe = {
  id: 'bond-bridge',
  source: 'seed 000: 303–383',
  questions: [
    { id: 'bond.slaves', kind: 'string[]', prompt: 'nics' },
    { id: 'bond.mode', kind: 'string', choices: BOND_MODES, prompt: 'select' },
    { id: 'bond.miimon', kind: 'number' },
    { id: 'bond.bridge', kind: 'string', prompt: 'input', validate: (v) => validateIfaceName(v, 'bond.bridge') },
    { id: 'back.nic', kind: 'string', prompt: 'nic' },
    { id: 'back.bridge', kind: 'string', prompt: 'input', validate: (v) => validateIfaceName(v, 'back.bridge') },
    { id: 'guests', kind: 'string[]', prompt: 'guests', message: 'q.bondGuests' },
    { id: 'macs', kind: 'macs' },
    { id: 'antispoof', kind: 'boolean', prompt: 'confirm', message: 'q.bondAntispoof' },
    { id: 'bond.ipForwardOff', kind: 'boolean', prompt: 'confirm' },
    { id: 'libvirt.disableDefault', kind: 'boolean' },
  ],
  defaults: bondBridgeDefaults,
  plan: planned,
};
