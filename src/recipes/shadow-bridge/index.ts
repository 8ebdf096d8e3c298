// Recipe shadow-bridge (seed 001): the bridge takes the NIC's name and MAC, the NIC is renamed
// s<nic> and becomes its only port (lines 134–139). dom0's interface name — its addresses,
// firewall rules, services bound to eth0 — stays as it was, and xend's network script never
// takes the network down (lines 3–4): it only adds vif0.N to the bridge (lines 156–157).
import { INSTALL_ID } from '../../render/bootPrerequisites.js';
import type { Answers } from '../../model/answers.js';
import type { HostFacts } from '../../model/host.js';
import { firstByName, nics } from '../../model/host.js';
import { emptyTopology, type PortedBridge, type Topology } from '../../model/topology.js';
import type { Plan, Step } from '../../model/plan.js';
import type { Planned, Recipe, RecipeInputs } from '../types.js';
import { InputError } from '../../errors.js';
import { validateIfaceName } from '../shared/ifaceName.js';
import { guestsOnBridge, natBridge, planVifMoves, singleBridgeDefaults } from '../shared/bridgeMove.js';
import { renderGuestDefinitions } from '../../render/guestDefinitions.js';
import { renderXlConf } from '../../render/xlHost.js';
import { currentNetworkScript, XEND_CONFIG } from '../../render/xend.js';
import { commandStep, fileStep, libvirtDisableSteps, planOf, virshDefineSteps } from '../../model/steps.js';
import { vifName } from '../../live/runningGuests.js';
import { xenstoreBridgeSteps, type XenstoreVif } from '../../live/xenstoreBridge.js';
import { libxlConfigSteps, type LibxlVif } from '../../live/libxlConfig.js';
import { LibvirtMoves } from '../../live/libvirtStatus.js';
import { renderShadowBatch } from '../../live/shadowBatch.js';
import { backendFor } from '../../backends/registry.js';
import type { ShadowRename as Shadow } from '../../backends/types.js';
import { ADDITIONAL_NAME, ADDITIONAL_SCRIPT, INIT_SCRIPT, renderShadowXendConfig, renderShadowXendFiles } from './xend.js';

/** seed 001 line 37: the NIC's new name. */
export const shadowPort = (nic: string): string => `s${nic}`;

/** Once applied, detection sees the bridge and its port s<nic>: the answer is still <nic>. */
function appliedName(host: HostFacts, port: string): string | null {
  const bridge = host.links.find((l) => l.isBridge && shadowPort(l.name) === port && l.ports.includes(port));
  return bridge?.name ?? null;
}

export function shadowDefaults(host: HostFacts): Answers {
  const base = singleBridgeDefaults(host);
  return {
    profile: base.profile,
    backend: base.backend,
    // The NIC of the default route: the one whose name dom0's configuration is written against.
    'shadow.nic': appliedName(host, base['wan.nic']) ?? base['wan.nic'],
    guests: base.guests,
    macs: 'auto',
    // seed 001 line 197: network-bridge-additional's default; line 318 does not set it.
    antispoof: false,
    'libvirt.disableDefault': base['libvirt.disableDefault'],
  };
}

function checkShadowNic(host: HostFacts, nic: string): void {
  validateIfaceName(nic, 'shadow.nic');
  const port = shadowPort(nic);
  // s<nic> must fit in 15 bytes too.
  if (Buffer.byteLength(port) > 15) throw new InputError('error.shadowNameTooLong', { nic, port });
  if (nic === 'lo') throw new InputError('error.nicLoopback', { nic });
  if (host.linkSource === 'none') return;
  const link = host.links.find((l) => l.name === nic);
  const portLink = host.links.find((l) => l.name === port);
  // Applied already: the name is the bridge, the NIC its port under the new name.
  if (link?.isBridge && portLink?.master === nic) return;
  if (!link) throw new InputError('error.shadowNicNotFound', { nic, known: nics(host).map((l) => l.name).join(', ') || '-' });
  if (link.isBridge) throw new InputError('error.shadowNicIsBridge', { nic });
  if (link.master) throw new InputError('error.shadowNicEnslaved', { nic, master: link.master });
  if (portLink) throw new InputError('error.shadowPortTaken', { port, nic });
}

interface Resolved {
  topology: Topology;
  shadow: Shadow;
  antispoof: boolean;
}

function resolve(inputs: RecipeInputs, answers: Answers): Resolved {
  const { host, random } = inputs;
  const d = shadowDefaults(host);
  const nic = (answers['shadow.nic'] as string | undefined) ?? (d['shadow.nic'] as string);
  checkShadowNic(host, nic);
  const guests = (answers.guests as string[] | undefined) ?? (d.guests as string[]);
  for (const g of guests) {
    if (!host.guests.some((h) => h.name === g)) {
      throw new InputError('error.guestNotFound', { guest: g, known: host.guests.map((h) => h.name).join(', ') || '-' });
    }
  }
  const antispoof = (answers.antispoof as boolean | undefined) ?? false;
  const profile = (answers.profile as Topology['profile'] | undefined) ?? (d.profile as Topology['profile']);
  const backend = (answers.backend as Topology['backend'] | undefined) ?? (d.backend as Topology['backend']);
  const topology = emptyTopology('shadow-bridge', profile, backend, natBridge(host));
  const port = shadowPort(nic);
  // The NIC's MAC: the kernel's, or the port's once applied (the bridge has the same, line 139).
  const mac = host.links.find((l) => l.name === nic && !l.isBridge)?.mac ?? host.links.find((l) => l.name === port)?.mac ?? host.links.find((l) => l.name === nic)?.mac ?? null;
  if (!mac && profile === 'xl') throw new InputError('error.shadowNoMac', { nic });
  topology.bridges.push({ name: nic, nic: port, stp: false, forwardDelay: 0, antispoof });
  // seed 001 line 322: the guests name the bridge, which is called like the NIC.
  topology.vifMoves = planVifMoves(host, answers, guests, nic, random);
  const moving = new Set(guests);
  const left = guestsOnBridge(host, topology.sourceBridge).filter((g) => !moving.has(g));
  const disable = (answers['libvirt.disableDefault'] as boolean | undefined) ?? left.length === 0;
  topology.libvirtDisable = disable && host.libvirtNetworks.some((n) => n.name === 'default') ? ['default'] : [];
  return { topology, shadow: { nic, port, mac: mac ?? '' }, antispoof };
}

/** xend: the seed's sequence — the old network script stopped, the files, then the bridge and vif0. */
function xendSteps(inputs: RecipeInputs, r: Resolved, guestSteps: Step[]): Step[] {
  const { read } = inputs;
  const { nic } = r.shadow;
  const hostFiles = [...renderShadowXendFiles(nic, read), renderShadowXendConfig(read(XEND_CONFIG), nic, r.antispoof)].filter((c) => c !== null);
  if (hostFiles.length === 0) return guestSteps;
  const steps: Step[] = [];
  const current = currentNetworkScript(inputs.host.networkScript);
  if (!current[0].endsWith(`/${ADDITIONAL_NAME}`)) {
    // The script xend ran at start (network-bridge renames eth0 → peth0): undone before ours starts.
    const [script, ...args] = current;
    steps.push(commandStep('network-bridge-stop', 'before-edit', [script, 'stop', ...args], {
      undo: [script, 'start', ...args],
      title: { key: 'step.networkBridgeStop', params: { script } },
    }));
  }
  steps.push(...hostFiles.map(fileStep), ...guestSteps);
  // seed 001 line 141: bridge-shadow starts before the network service (chkconfig 05 < 10).
  steps.push(commandStep('chkconfig-bridge-shadow', 'after-edit', ['chkconfig', '--add', 'bridge-shadow'], { undo: ['chkconfig', '--del', 'bridge-shadow'] }));
  steps.push(commandStep('bridge-shadow-start', 'after-edit', [INIT_SCRIPT, 'start'], {
    undo: [INIT_SCRIPT, 'stop'],
    title: { key: 'step.shadowStart', params: { nic, port: r.shadow.port } },
  }));
  // The NIC's own ifcfg now configures the bridge of that name (same MAC, line 139).
  steps.push(commandStep('service-network-restart', 'after-edit', ['service', 'network', 'restart'], {
    rerunOnRollback: true,
    title: { key: 'step.serviceNetworkRestart', params: {} },
  }));
  steps.push(commandStep('network-bridge-additional-start', 'after-edit', [ADDITIONAL_SCRIPT, 'start', `bridge=${nic}`], {
    undo: [ADDITIONAL_SCRIPT, 'stop', `bridge=${nic}`],
    title: { key: 'step.networkBridgeStart', params: { script: ADDITIONAL_SCRIPT } },
  }));
  return steps;
}

/**
 * The running guests' vifs on the NAT bridge that move with the batch, their xenstore keys, their
 * libxl configs and, for the guests libvirt manages, libvirt's records of them.
 */
function liveVifs(inputs: RecipeInputs, r: Resolved): { vifs: string[]; keyed: XenstoreVif[]; moved: LibxlVif[]; libvirt: LibvirtMoves } {
  const live = inputs.live!;
  const vifs: string[] = [];
  const keyed: XenstoreVif[] = [];
  const moved: LibxlVif[] = [];
  const libvirt = new LibvirtMoves();
  const domains = firstByName(live.running);
  const byName = firstByName(live.guests);
  for (const move of r.topology.vifMoves) {
    const domain = domains.get(move.guest);
    const guest = byName.get(move.guest);
    if (!domain || !guest) continue;
    const name = vifName(guest, domain.domid, move.index);
    if (vifs.includes(name) || live.snapshot.links.find((l) => l.ifname === name)?.master !== r.topology.sourceBridge) continue;
    vifs.push(name);
    moved.push({ guest: move.guest, domid: domain.domid, devid: move.index });
    libvirt.add(guest, domain.domid, name);
    const current = live.xenstoreBridges?.[`${domain.domid}/${move.index}`];
    if (current !== undefined) keyed.push({ domid: domain.domid, devid: move.index, vif: name, current });
  }
  return { vifs, keyed, moved, libvirt };
}

/** `last`: steps the plan runs after every other (libvirt's daemon restart, src/live/libvirtStatus.ts). */
function xlSteps(inputs: RecipeInputs, r: Resolved, guestSteps: Step[], notes: Plan['notes'], last: Step[]): Step[] {
  const { read } = inputs;
  const { shadow, topology } = r;
  const backend = backendFor(topology.backend).shadowBridge(shadow, { read, interfaces: inputs.interfaces });
  const steps: Step[] = [];
  const live = inputs.live;
  const applied = live?.snapshot.links.find((l) => l.ifname === shadow.nic)?.linkinfo?.info_kind === 'bridge';
  const libxlFiles: Step[] = [];
  // The boot prerequisites come first, live too: without them the next boot has no bridge.
  if (live) steps.push(...backend.commands.filter((c) => c.id === INSTALL_ID).map((c) => commandStep(c.id, c.phase, c.argv!)));
  if (live && !applied) {
    const { vifs, keyed, moved, libvirt } = liveVifs(inputs, r);
    libxlFiles.push(...libxlConfigSteps(moved, live.libxlConfigs, read, topology.sourceBridge, shadow.nic));
    // libvirt's live view of its guests follows the move as in single-bridge (the vifs go to the
    // bridge that takes the NIC's name, seed 001 line 139).
    const follow = libvirt.follow(read, inputs.list ?? (() => []), inputs.host.libvirtNetworks, topology.sourceBridge, shadow.nic);
    libxlFiles.push(...follow.files);
    notes.push(...follow.notes);
    last.push(...follow.last);
    const batch = renderShadowBatch(live.snapshot, shadow, vifs);
    steps.push(commandStep('ip-batch-shadow', 'before-edit', ['ip', '-batch', '-'], {
      input: batch.forward,
      undo: ['ip', '-batch', '-'],
      undoInput: batch.inverse,
      title: { key: 'step.shadowBatch', params: { nic: shadow.nic, port: shadow.port, vifs: vifs.length } },
    }), ...xenstoreBridgeSteps(keyed, shadow.nic));
  }
  const commands = live ? [] : backend.commands;
  steps.push(...commands.filter((c) => c.phase === 'before-edit').map((c) => commandStep(c.id, c.phase, c.argv!, { undo: c.undo })));
  steps.push(...backend.files.map(fileStep));
  const xlConf = renderXlConf(topology.bridges[0] as PortedBridge, read);
  if (xlConf) steps.push(fileStep(xlConf));
  steps.push(...guestSteps, ...libxlFiles);
  steps.push(...commands.filter((c) => c.phase === 'after-edit').map((c) => commandStep(c.id, c.phase, c.argv!, { undo: c.undo })));
  if (topology.backend === 'ifupdown' && backend.files.some((f) => f.path.endsWith('.link'))) {
    // initramfs-tools copies /etc/systemd/network/*.link: the rename must happen there too when
    // the NIC's driver loads in the initramfs.
    steps.push(commandStep('update-initramfs', 'after-edit', ['update-initramfs', '-u'], { rerunOnRollback: true }));
  }
  if (backend.commands.length > 0 && !live) notes.push({ key: 'note.shadowRestart', params: { nic: shadow.nic, port: shadow.port } });
  if (guestSteps.length > 0) notes.push({ key: live ? 'note.guestsLive' : 'note.guestsRestartXl', params: {} });
  return steps;
}

function planned(answers: Answers, inputs: RecipeInputs): Planned {
  const { host } = inputs;
  const r = resolve(inputs, answers);
  const { topology } = r;
  const guestChanges = renderGuestDefinitions(topology.vifMoves, inputs.read);
  const guestSteps = guestChanges.map(({ change }) => fileStep(change));
  const defineSteps = virshDefineSteps(guestChanges.filter(({ kind }) => kind === 'libvirt-xml').map(({ change }) => change.path));
  const notes: Plan['notes'] = [];
  const xend = topology.profile === 'xend';
  const last: Step[] = [];
  const steps = xend ? xendSteps(inputs, r, guestSteps) : xlSteps(inputs, r, guestSteps, notes, last);
  if (xend && guestSteps.length > 0) notes.push({ key: 'note.guestsRestart', params: {} });
  steps.push(...defineSteps, ...libvirtDisableSteps(topology.libvirtDisable, host.libvirtNetworks, inputs.readLink), ...last);
  const method: Plan['method'] = xend ? 'xend-sequence' : inputs.live ? 'live' : 'backend-restart';
  const batch = steps.some((s) => s.id === 'run:ip-batch-shadow');
  const defaultRoute = inputs.live?.snapshot.routes.find((rt) => rt.dst === 'default' && rt.dev === r.shadow.nic);
  const confirm = batch && (defaultRoute || inputs.live?.sshClient)
    ? { gateway: defaultRoute?.gateway ?? null, sshClient: inputs.live?.sshClient ?? null }
    : undefined;
  const macs: Record<string, string> = {};
  for (const move of topology.vifMoves) if (move.mac) macs[`${move.guest}#${move.index}`] = move.mac;
  const given = answers.macs;
  const resolved: Answers = {
    ...shadowDefaults(host),
    ...answers,
    profile: topology.profile,
    backend: topology.backend as Exclude<Topology['backend'], 'unknown'>,
    'shadow.nic': r.shadow.nic,
    antispoof: r.antispoof,
    macs: Object.keys(macs).length ? { ...(given && given !== 'auto' ? given as Record<string, string> : {}), ...macs } : (given ?? 'auto'),
    'libvirt.disableDefault': topology.libvirtDisable.length > 0 || ((answers['libvirt.disableDefault'] as boolean | undefined) ?? false),
  };
  return { plan: planOf(topology, method, steps, notes, confirm), topology, answers: resolved };
}

const validateNic = (value: string, host: HostFacts) => checkShadowNic(host, value);

export const shadowBridge: Recipe = {
  id: 'shadow-bridge',
  source: 'seed 001',
  questions: [
    { id: 'shadow.nic', kind: 'string', prompt: 'nic', message: 'q.shadow.nic', validate: validateNic },
    { id: 'guests', kind: 'string[]', prompt: 'guests', message: 'q.shadow.guests' },
    { id: 'macs', kind: 'macs' },
    { id: 'antispoof', kind: 'boolean', prompt: 'confirm', message: 'q.shadow.antispoof', profile: 'xend' },
    { id: 'libvirt.disableDefault', kind: 'boolean' },
  ],
  defaults: shadowDefaults,
  plan: planned,
};
