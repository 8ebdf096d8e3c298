// Recipe vlan-bridges (seed 002 lines 97–114): 802.1Q VLANs in dom0, one bridge per VLAN
// (eth0.293 → xen-br293); guests join a VLAN by their vif's bridge and never see a tag (line 110).
import type { Answers } from '../../model/answers.js';
import type { HostFacts } from '../../model/host.js';
import { nics } from '../../model/host.js';
import { emptyTopology, type Topology, type VifMove } from '../../model/topology.js';
import type { FileChange, Plan, Step } from '../../model/plan.js';
import type { Planned, Recipe, RecipeInputs } from '../types.js';
import { InputError } from '../../errors.js';
import { validateIfaceName } from '../shared/ifaceName.js';
import { natBridge, planVifMoves, singleBridgeDefaults } from '../shared/bridgeMove.js';
import { renderGuestDefinitions } from '../../render/guestDefinitions.js';
import { commandStep, fileStep, planOf, virshDefineSteps } from '../../model/steps.js';
import { backendFor } from '../../backends/registry.js';
import { ownedFile, type Vlan, type VlanLayout } from '../../backends/types.js';
import { INIT_SCRIPT, renderXendInit } from './xend.js';

/** seed 002 line 99: xen-br293 for VLAN 293. */
export const DEFAULT_PREFIX = 'xen-br';

/** VLAN devices already on the NIC (eth0.293): detection's default; else the seed's 293. */
function detectedIds(host: HostFacts, nic: string): string {
  const ids = host.links.map((l) => l.name.startsWith(`${nic}.`) ? l.name.slice(nic.length + 1) : '').filter((s) => /^\d+$/.test(s));
  return ids.length ? ids.join(',') : '293';
}

export function vlanDefaults(host: HostFacts): Answers {
  const base = singleBridgeDefaults(host);
  return {
    profile: base.profile,
    backend: base.backend,
    'vlan.nic': base['wan.nic'],
    'vlan.ids': detectedIds(host, base['wan.nic']),
    'vlan.bridgePrefix': DEFAULT_PREFIX,
    'vlan.guests': '',
    macs: 'auto',
    // line 111: only "if your ethernet card does not natively support VLAN tags" — most do today.
    'vlan.mtu1496': false,
    // line 113: the seed's era needed it ("or tcp and udp connections will fail"); today's
    // kernels handle checksum offload under VLAN bridges: on by default for xend only.
    'vlan.txOff': base.profile === 'xend',
  };
}

export function parseIds(text: string): number[] {
  const words = text.split(/[\s,]+/).filter(Boolean);
  if (words.length === 0) throw new InputError('error.vlanIdsEmpty', { id: 'vlan.ids' });
  const ids = words.map((w) => {
    // 802.1Q: 12 bits, 0 and 4095 reserved.
    if (!/^\d+$/.test(w) || Number(w) < 1 || Number(w) > 4094) throw new InputError('error.vlanId', { id: 'vlan.ids', value: w });
    return Number(w);
  });
  const twice = ids.find((v, i) => ids.indexOf(v) !== i);
  if (twice !== undefined) throw new InputError('error.vlanIdTwice', { id: 'vlan.ids', value: String(twice) });
  return ids;
}

/** "web1=293 db1=294" → guest → VLAN id. */
export function parseGuestVlans(text: string, host: HostFacts, ids: number[]): [string, number][] {
  const pairs: [string, number][] = [];
  for (const w of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^([^=]+)=(\d+)$/.exec(w);
    if (!m) throw new InputError('error.vlanGuestSyntax', { id: 'vlan.guests', value: w });
    const [, guest, id] = m;
    if (!host.guests.some((g) => g.name === guest)) {
      throw new InputError('error.guestNotFound', { guest, known: host.guests.map((g) => g.name).join(', ') || '-', id: 'vlan.guests' });
    }
    if (!ids.includes(Number(id))) throw new InputError('error.vlanGuestUnknownVlan', { id: 'vlan.guests', guest, vlan: id, ids: ids.join(',') });
    if (pairs.some(([g]) => g === guest)) throw new InputError('error.guestTwice', { guest, id: 'vlan.guests' });
    pairs.push([guest, Number(id)]);
  }
  return pairs;
}

function checkTrunk(host: HostFacts, nic: string): void {
  validateIfaceName(nic, 'vlan.nic');
  if (nic === 'lo') throw new InputError('error.nicLoopback', { nic });
  if (host.linkSource === 'none') return;
  const link = host.links.find((l) => l.name === nic);
  if (!link) throw new InputError('error.vlanNicNotFound', { nic, known: nics(host).map((l) => l.name).join(', ') || '-' });
}

interface Resolved { topology: Topology; layout: VlanLayout; answers: Answers }

function resolve(inputs: RecipeInputs, answers: Answers): Resolved {
  const { host } = inputs;
  const d = vlanDefaults(host);
  const get = <T>(id: string) => (answers[id] as T | undefined) ?? (d[id] as T);
  const nic = get<string>('vlan.nic');
  checkTrunk(host, nic);
  const ids = parseIds(get<string>('vlan.ids'));
  const prefix = get<string>('vlan.bridgePrefix');
  const vlans: Vlan[] = ids.map((id) => ({ id, dev: `${nic}.${id}`, bridge: `${prefix}${id}` }));
  for (const v of vlans) {
    validateIfaceName(v.dev, 'vlan.nic');
    validateIfaceName(v.bridge, 'vlan.bridgePrefix');
    const taken = host.links.find((l) => l.name === v.bridge);
    if (taken && !taken.isBridge) throw new InputError('error.bridgeNameTaken', { bridge: v.bridge });
    if (v.bridge === natBridge(host)) throw new InputError('error.bridgeIsNat', { bridge: v.bridge });
  }
  const profile = get<Topology['profile']>('profile');
  const backend = get<Topology['backend']>('backend');
  const topology = emptyTopology('vlan-bridges', profile, backend, natBridge(host));
  for (const v of vlans) topology.bridges.push({ name: v.bridge, nic: v.dev, stp: false, forwardDelay: 0, antispoof: false });
  const moves: VifMove[] = [];
  for (const [guest, id] of parseGuestVlans(get<string>('vlan.guests'), host, ids)) {
    moves.push(...planVifMoves(host, answers, [guest], vlans.find((v) => v.id === id)!.bridge, inputs.random));
  }
  topology.vifMoves = moves;
  const layout: VlanLayout = { nic, vlans, mtu1496: get<boolean>('vlan.mtu1496'), txOff: get<boolean>('vlan.txOff') };
  const macs: Record<string, string> = {};
  for (const m of moves) if (m.mac) macs[`${m.guest}#${m.index}`] = m.mac;
  const given = answers.macs;
  return {
    topology,
    layout,
    answers: {
      ...d,
      ...answers,
      profile,
      backend: backend as Exclude<Topology['backend'], 'unknown'>,
      'vlan.ids': ids.join(','),
      macs: Object.keys(macs).length ? { ...(given && given !== 'auto' ? given as Record<string, string> : {}), ...macs } : (given ?? 'auto'),
    },
  };
}

function planned(answers: Answers, inputs: RecipeInputs): Planned {
  const r = resolve(inputs, answers);
  const { topology, layout } = r;
  const xend = topology.profile === 'xend';
  const render = backendFor(topology.backend).vlanBridges(layout, xend ? 'xend' : 'xl', { read: inputs.read, interfaces: inputs.interfaces });
  // seed 002 lines 98, 105: on xend with ifupdown the bridges have no `auto`; an init script
  // brings them up after xend, before xendomains.
  const bootScript = xend && topology.backend === 'ifupdown';
  const init = bootScript ? ownedFile(INIT_SCRIPT, '0755', renderXendInit(layout), inputs.read) : null;
  const initFiles: FileChange[] = init ? [init] : [];
  const initCommands: Step[] = init
    ? [commandStep('update-rc.d-xen-vlan-bridges', 'after-edit', ['update-rc.d', 'xen-vlan-bridges', 'defaults'], { undo: ['update-rc.d', '-f', 'xen-vlan-bridges', 'remove'] })]
    : [];
  const guestChanges = renderGuestDefinitions(topology.vifMoves, inputs.read);
  const steps: Step[] = [
    ...render.files.map(fileStep),
    ...initFiles.map(fileStep),
    ...initCommands,
    ...guestChanges.map(({ change }) => fileStep(change)),
    ...render.commands.map((c) => commandStep(c.id, c.phase, c.argv!, { undo: c.undo })),
    ...virshDefineSteps(guestChanges.filter(({ kind }) => kind === 'libvirt-xml').map(({ change }) => change.path)),
  ];
  const notes: Plan['notes'] = [];
  if (guestChanges.length > 0) notes.push({ key: xend ? 'note.guestsRestart' : 'note.guestsRestartXl', params: {} });
  notes.push({ key: 'note.vlanSwitch', params: { nic: layout.nic, ids: layout.vlans.map((v) => v.id).join(', ') } });
  return { plan: planOf(topology, 'backend-restart', steps, notes), topology, answers: r.answers };
}

export const vlanBridges: Recipe = {
  id: 'vlan-bridges',
  source: 'seed 002 (VLAN)',
  questions: [
    { id: 'vlan.nic', kind: 'string', prompt: 'nic', message: 'q.vlan.nic' },
    { id: 'vlan.ids', kind: 'string', prompt: 'input', message: 'q.vlan.ids', validate: (v) => { parseIds(v); } },
    { id: 'vlan.bridgePrefix', kind: 'string', prompt: 'input', message: 'q.vlan.bridgePrefix', validate: (v) => validateIfaceName(`${v}4094`, 'vlan.bridgePrefix') },
    { id: 'vlan.guests', kind: 'string', prompt: 'input', message: 'q.vlan.guests', validate: (v, host) => { parseGuestVlans(v, host, Array.from({ length: 4094 }, (_, i) => i + 1)); } },
    { id: 'macs', kind: 'macs' },
    { id: 'vlan.mtu1496', kind: 'boolean', prompt: 'confirm', message: 'q.vlan.mtu1496' },
    { id: 'vlan.txOff', kind: 'boolean', prompt: 'confirm', message: 'q.vlan.txOff' },
  ],
  defaults: vlanDefaults,
  plan: planned,
};
