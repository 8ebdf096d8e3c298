// Topology × profile × current files → the plan of recipe bond-bridge (seed 000 lines 303–383).
// xend: the guide's artifacts (wrapper lines 325–331, network-bridge-bonding, ifcfg-bond0 and
// its slaves) in the general sequence of lines 13–16, then virsh define (374–375) and net-* (380–381).
// xl: the bond and both bridges persisted in the distro's config, brought up by its own tools.
import type { Topology, PortedBridge } from '../../model/topology.js';
import type { FileChange, Plan, Step } from '../../model/plan.js';
import type { RecipeInputs } from '../types.js';
import type { LiveSnapshot } from '../../live/snapshot.js';
import { InputError } from '../../errors.js';
import { renderGuestDefinitions } from '../../render/guestDefinitions.js';
import { CUSTOM_SCRIPT, renderCustomScriptChange, renderXendConfig, XEND_CONFIG } from '../../render/xend.js';
import { BONDING_SCRIPT, bondBridgeWrapper, renderBondingScript } from './networkBridgeBonding.js';
import { renderIfcfgBond } from '../../backends/ifcfg.js';
import { backendFor } from '../../backends/registry.js';
import { managerOf } from '../../backends/types.js';
import { renderMaxBondsZero, renderModprobeAlias } from '../../render/modprobeBonding.js';
import { renderXlConf } from '../../render/xlHost.js';
import { commandStep, fileStep, libvirtDisableSteps, planOf, virshDefineSteps } from '../../model/steps.js';
import { xendSequence } from '../../render/xendSequence.js';
import { IP_FORWARD, modeWarning } from './modes.js';
import { procPath, sysctlPlan } from '../../render/sysctl.js';

function bondingScriptChange(existing: { text: string; mode: string } | null): FileChange | null {
  const after = renderBondingScript();
  if (existing?.text === after && existing.mode === '0755') return null;
  return { path: BONDING_SCRIPT, mode: '0755', before: existing?.text ?? null, after };
}

/** The device the kernel would send to `address` through: the longest matching route. */
export function routeDevice(snapshot: LiveSnapshot, address: string): string | null {
  const toInt = (ip: string) => ip.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  let best: { len: number; dev: string | null } = { len: -1, dev: null };
  for (const r of snapshot.routes) {
    const [net, bits] = r.dst === 'default' ? ['0.0.0.0', '0'] : r.dst.split('/');
    const len = bits === undefined ? 32 : Number(bits);
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(net) || !/^\d+\.\d+\.\d+\.\d+$/.test(address)) continue;
    const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
    if (((toInt(net) ^ toInt(address)) & mask) === 0 && len > best.len) best = { len, dev: r.dev ?? null };
  }
  return best.dev;
}

/**
 * Enslaving the NIC of the default route or of the SSH session cuts the admin off for a while:
 * a live run is then commit-confirmed (gateway / SSH client checked, rolled back if silent), and
 * refused when there is nothing to check. Offline, a note says so (the plan runs elsewhere).
 */
function confirmFor(topology: Topology, inputs: RecipeInputs, notes: Plan['notes']): Plan['confirm'] {
  const moved = [...topology.bonds[0].slaves, topology.bridges[1].nic!];
  if (!inputs.live) {
    const nic = inputs.host.defaultRouteNic;
    if (nic && moved.includes(nic)) notes.push({ key: 'note.bondDefaultRoute', params: { nic } });
    return undefined;
  }
  const { snapshot, sshClient } = inputs.live;
  const route = snapshot.routes.find((r) => r.dst === 'default' && r.dev && moved.includes(r.dev));
  const sshDev = sshClient ? routeDevice(snapshot, sshClient) : null;
  const ssh = sshDev && moved.includes(sshDev) ? sshClient : null;
  if (!route && !ssh) return undefined;
  if (!route?.gateway && !ssh) throw new InputError('error.bondNeedsConfirm', { nic: route?.dev ?? '-' });
  return { gateway: route?.gateway ?? null, sshClient: ssh };
}

export function planBondBridge(topology: Topology, inputs: RecipeInputs): Plan {
  const { read } = inputs;
  const [main, back] = topology.bridges as PortedBridge[];
  const bond = topology.bonds[0];
  const guestChanges = renderGuestDefinitions(topology.vifMoves, read);
  const guestSteps = guestChanges.map(({ change }) => fileStep(change));
  const defineSteps = virshDefineSteps(guestChanges.filter(({ kind }) => kind === 'libvirt-xml').map(({ change }) => change.path));
  const notes: Plan['notes'] = [];
  const steps: Step[] = [];
  let method: Plan['method'] = 'backend-restart';
  const ipForwardOff = topology.sysctls.some((s) => s.key === IP_FORWARD && s.value === '0');
  if (topology.profile === 'xend') {
    method = 'xend-sequence';
    // At boot the bond has the bridge's name; network-bridge-bonding renames it (line 328).
    const device = main.name;
    const hostFiles = [
      renderXendConfig(read(XEND_CONFIG)),
      renderCustomScriptChange(bondBridgeWrapper({ bridge: main, device }, back, ipForwardOff), read(CUSTOM_SCRIPT)),
      bondingScriptChange(read(BONDING_SCRIPT)),
      renderModprobeAlias(device, read),
      ...renderIfcfgBond({ bond, device, bridge: null }, read),
    ].filter((c): c is FileChange => c !== null);
    steps.push(...xendSequence(hostFiles, guestSteps, inputs.host.networkScript), ...defineSteps);
    if (guestSteps.length > 0) notes.push({ key: 'note.guestsRestart', params: {} });
  } else {
    const backend = backendFor(topology.backend).bondBridges(bond, main, back, { ...inputs, manager: managerOf(inputs.host.managers, topology.backend) });
    const xlConf = renderXlConf(main, read);
    const maxBonds = renderMaxBondsZero(read);
    const cmd = (phase: Step['phase']) => backend.commands.filter((c) => c.phase === phase).map((c) => commandStep(c.id, c.phase, c.argv!, { undo: c.undo, ...(c.rerunOnRollback ? { rerunOnRollback: true } : {}) }));
    // seed 000 line 331 switches forwarding off from the wrapper; xl has no wrapper: sysctl.d + sysctl -w.
    let sysctl = sysctlPlan('xl', topology.sysctls, read, 'xen-net-wizard, recipe bond-bridge: no IP forwarding needed (seed 000 line 331)');
    // A root without /proc/sys (offline fixture) cannot say whether the kernel has it already: the
    // command goes with the file that persists it, so a second plan stays empty.
    if (!sysctl.some((s) => s.kind === 'file') && topology.sysctls.every((s) => read(procPath(s.key)) === null)) sysctl = [];
    // Host files first, guests last (the xend order too); `sysctl -w` once the network is back up.
    const hostFiles = [maxBonds, ...backend.files, xlConf].filter((c): c is FileChange => c !== null).map(fileStep);
    const [sysctlFiles, sysctlRun] = [sysctl.filter((s) => s.kind === 'file'), sysctl.filter((s) => s.kind !== 'file')];
    steps.push(...cmd('before-edit'), ...hostFiles, ...sysctlFiles, ...guestSteps, ...cmd('after-edit'), ...sysctlRun, ...defineSteps);
    if (backend.files.length > 0) notes.push({ key: 'note.backendRestart', params: { nic: bond.slaves.join(', '), bridge: main.name } });
    if (guestSteps.length > 0) notes.push({ key: 'note.guestsRestartXl', params: {} });
  }
  steps.push(...libvirtDisableSteps(topology.libvirtDisable, inputs.host.libvirtNetworks, inputs.readLink));
  if (modeWarning(bond.mode)) notes.push({ key: 'note.bondBalanceRr', params: { bond: bond.name, bridge: main.name } });
  const confirm = steps.length > 0 ? confirmFor(topology, inputs, notes) : undefined;
  return planOf(topology, method, steps, notes, confirm);
}
