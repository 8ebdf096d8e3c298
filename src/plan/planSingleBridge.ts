// Topology × profile × current files → the ordered plan of recipe single-bridge.
// xend: the guide's sequence (seed 000 lines 13–16): network-bridge stop → edit → service network
// restart → network-bridge-custom start, then virsh define and the virsh net-* of lines 80–81.
// xl: the backend's own tools take the NIC down and bring the bridge up around the edit.
import type { Topology } from '../topology.js';
import type { Plan, Step, FileChange, ReadFile } from './types.js';
import type { InterfacesFile } from '../parse/interfaces.js';
import type { Guest, LibvirtNetwork } from '../host.js';
import type { LiveSnapshot } from '../live/snapshot.js';
import { type RunningGuest, vifName } from '../live/runningGuests.js';
import { renderBridgeBatch } from '../live/bridgeBatch.js';
import { xenstoreBridgeSteps, type XenstoreVif } from '../live/xenstoreBridge.js';
import { renderGuestDefinitions } from '../render/guestDefinitions.js';
import { currentNetworkScript, renderCustomScriptChange, renderXendConfig, CUSTOM_SCRIPT, XEND_CONFIG } from '../render/xend.js';
import { renderBackend, renderXlConf } from '../render/xlHost.js';

export interface PlanInputs {
  topology: Topology;
  read: ReadFile;
  readLink: (path: string) => string | null;
  interfaces: InterfacesFile[];
  libvirtNetworks: LibvirtNetwork[];
  networkScript: string | null;
  /** A live xl dom0 (--live): the kernel's state and the running guests, for the ip -batch path. */
  live?: { snapshot: LiveSnapshot; running: RunningGuest[]; guests: Guest[]; sshClient: string | null; xenstoreBridges?: Record<string, string> };
}

/** The live transaction and xenstore's bridge keys of the moved vifs; none when the NIC is already a port. */
function liveBatchSteps(inputs: PlanInputs): Step[] {
  const { topology, live } = inputs;
  const { snapshot, running, guests } = live!;
  const nic = snapshot.links.find((l) => l.ifname === topology.bridge.nic);
  if (nic?.master === topology.bridge.name) return [];
  const vifs = new Set<string>();
  const keyed: XenstoreVif[] = [];
  for (const move of topology.vifMoves) {
    const domain = running.find((r) => r.name === move.guest);
    const guest = guests.find((g) => g.name === move.guest);
    if (!domain || !guest) continue;
    const name = vifName(guest, domain.domid, move.index);
    if (snapshot.links.find((l) => l.ifname === name)?.master !== topology.sourceBridge) continue;
    vifs.add(name);
    const current = live!.xenstoreBridges?.[`${domain.domid}/${move.index}`];
    if (current !== undefined) keyed.push({ domid: domain.domid, devid: move.index, vif: name, current });
  }
  const batch = renderBridgeBatch(snapshot, { nic: topology.bridge.nic, bridge: topology.bridge.name, vifs: [...vifs] });
  return [commandStep('ip-batch-bridge', 'before-edit', ['ip', '-batch', '-'], {
    input: batch.forward,
    undo: ['ip', '-batch', '-'],
    undoInput: batch.inverse,
    title: { key: 'step.liveBatch', params: { nic: topology.bridge.nic, bridge: topology.bridge.name, vifs: vifs.size } },
  }), ...xenstoreBridgeSteps(keyed, topology.bridge.name)];
}

const fileStep = (change: FileChange): Step => ({
  id: `edit:${change.path}`,
  kind: 'file',
  phase: 'edit',
  title: { key: change.before === null ? 'step.createFile' : 'step.editFile', params: { path: change.path } },
  file: change,
});

const commandStep = (id: string, phase: Step['phase'], argv: string[], extra: Partial<Step> = {}): Step => ({
  id: `run:${id}`,
  kind: 'command',
  phase,
  title: { key: 'step.run', params: { command: argv.join(' ') } },
  argv,
  ...extra,
});

function libvirtSteps(inputs: PlanInputs): Step[] {
  const steps: Step[] = [];
  for (const name of inputs.topology.libvirtDisable) {
    const net = inputs.libvirtNetworks.find((n) => n.name === name);
    if (!net?.autostart || !net.autostartPath) continue;
    // seed 000 lines 80–81. Offline (--root), `net-autostart --disable` is what it does on disk:
    // remove the autostart link — like `systemctl --root disable`.
    steps.push(commandStep(`virsh-net-destroy-${name}`, 'finally', ['virsh', 'net-destroy', name], {
      undo: ['virsh', 'net-start', name],
      title: { key: 'step.netDestroy', params: { network: name } },
    }));
    steps.push(commandStep(`virsh-net-autostart-disable-${name}`, 'finally', ['virsh', 'net-autostart', name, '--disable'], {
      undo: ['virsh', 'net-autostart', name],
      title: { key: 'step.netAutostartDisable', params: { network: name } },
      offline: { path: net.autostartPath, mode: '0777', before: '', after: null, linkTarget: inputs.readLink(net.autostartPath) ?? net.path },
    }));
  }
  return steps;
}

export function planSingleBridge(inputs: PlanInputs): Plan {
  const { topology, read } = inputs;
  const guestChanges = renderGuestDefinitions(topology.vifMoves, read);
  const guestSteps = guestChanges.map(({ change }) => fileStep(change));
  const defineSteps = guestChanges
    .filter(({ kind }) => kind === 'libvirt-xml')
    .map(({ change }) => commandStep(`virsh-define-${change.path}`, 'after-edit', ['virsh', 'define', change.path], {
      title: { key: 'step.virshDefine', params: { path: change.path } },
      rerunOnRollback: true,
    }));
  const steps: Step[] = [];
  const notes: Plan['notes'] = [];
  let method: Plan['method'];
  if (topology.profile === 'xend') {
    method = 'xend-sequence';
    const hostFiles = [renderXendConfig(read(XEND_CONFIG)), renderCustomScriptChange(topology.bridge, read(CUSTOM_SCRIPT))]
      .filter((c): c is FileChange => c !== null);
    if (hostFiles.length > 0) {
      const stop = currentNetworkScript(inputs.networkScript);
      const [script, ...args] = stop;
      steps.push(commandStep('network-bridge-stop', 'before-edit', [script, 'stop', ...args], {
        undo: [script, 'start', ...args],
        title: { key: 'step.networkBridgeStop', params: { script } },
      }));
      steps.push(...hostFiles.map(fileStep), ...guestSteps);
      steps.push(commandStep('service-network-restart', 'after-edit', ['service', 'network', 'restart'], {
        rerunOnRollback: true,
        title: { key: 'step.serviceNetworkRestart', params: {} },
      }));
      steps.push(commandStep('network-bridge-custom-start', 'after-edit', [CUSTOM_SCRIPT, 'start'], {
        undo: [CUSTOM_SCRIPT, 'stop'],
        title: { key: 'step.networkBridgeStart', params: { script: CUSTOM_SCRIPT } },
      }));
    } else {
      steps.push(...guestSteps);
    }
    steps.push(...defineSteps);
    if (guestSteps.length > 0) notes.push({ key: 'note.guestsRestart', params: {} });
  } else {
    method = inputs.live ? 'live' : 'backend-restart';
    const backend = renderBackend(topology.backend, topology.bridge, inputs.interfaces, read);
    const xlConf = renderXlConf(topology.bridge, read);
    if (inputs.live) {
      // The kernel is changed in one transaction; the backend's files only persist it for the
      // next boot, so its ifdown/ifup are not run (seed 000 lines 7–18 done live).
      backend.commands = [];
      steps.push(...liveBatchSteps(inputs));
    }
    steps.push(...backend.commands.filter((c) => c.phase === 'before-edit').map((c) => commandStep(c.id, c.phase, c.argv!, { undo: c.undo })));
    steps.push(...backend.files.map(fileStep));
    if (xlConf) steps.push(fileStep(xlConf));
    steps.push(...guestSteps);
    steps.push(...backend.commands.filter((c) => c.phase === 'after-edit').map((c) => commandStep(c.id, c.phase, c.argv!, { undo: c.undo })));
    steps.push(...defineSteps);
    if (backend.files.length > 0 && !inputs.live) notes.push({ key: 'note.backendRestart', params: { nic: topology.bridge.nic, bridge: topology.bridge.name } });
    if (guestSteps.length > 0) notes.push({ key: inputs.live ? 'note.guestsLive' : 'note.guestsRestartXl', params: {} });
  }
  steps.push(...libvirtSteps(inputs));
  const batch = steps.find((s) => s.id === 'run:ip-batch-bridge');
  const defaultRoute = inputs.live?.snapshot.routes.find((r) => r.dst === 'default' && r.dev === topology.bridge.nic);
  const confirm = batch && (defaultRoute || inputs.live?.sshClient)
    ? { gateway: defaultRoute?.gateway ?? null, sshClient: inputs.live?.sshClient ?? null }
    : undefined;
  return {
    ...(confirm ? { confirm } : {}),
    recipe: topology.recipe,
    profile: topology.profile,
    backend: topology.backend,
    method,
    steps,
    notes: steps.length > 0 ? notes : [],
  };
}
