// Topology × profile × current files → the ordered plan of recipe single-bridge.
// xend: the guide's sequence (seed 000 lines 13–16): network-bridge stop → edit → service network
// restart → network-bridge-custom start, then virsh define and the virsh net-* of lines 80–81.
// xl: the backend's own tools take the NIC down and bring the bridge up around the edit.
import { mainBridge, type PortedBridge, type Topology } from '../../model/topology.js';
import type { Plan, Step, FileChange, ReadFile } from '../../model/plan.js';
import type { LiveInputs, RecipeInputs } from '../types.js';
import type { InterfacesFile } from '../../parse/interfaces.js';
import { firstByName, type LibvirtNetwork } from '../../model/host.js';
import { vifName } from '../../live/runningGuests.js';
import { renderBridgeBatch } from '../../live/bridgeBatch.js';
import { xenstoreBridgeSteps, type XenstoreVif } from '../../live/xenstoreBridge.js';
import { libxlConfigSteps, type LibxlVif } from '../../live/libxlConfig.js';
import { LibvirtMoves } from '../../live/libvirtStatus.js';
import { renderGuestDefinitions } from '../../render/guestDefinitions.js';
import { currentNetworkScript, renderCustomScriptChange, singleBridgeWrapper, renderXendConfig, CUSTOM_SCRIPT, XEND_CONFIG, type WrapperSpec } from '../../render/xend.js';
import { renderXlConf } from '../../render/xlHost.js';
import { backendFor } from '../../backends/registry.js';
import { InputError } from '../../errors.js';
import { managerOf, type BackendInputs, type BackendRender } from '../../backends/types.js';
import { INSTALL_ID } from '../../render/bootPrerequisites.js';
import { commandStep, fileStep, libvirtDisableSteps, planOf, virshDefineSteps } from '../../model/steps.js';

export interface PlanInputs {
  topology: Topology;
  read: ReadFile;
  readLink: (path: string) => string | null;
  list?: (dir: string) => string[];
  interfaces: InterfacesFile[];
  /** The MAC each NIC has now (detection's links). */
  linkMac?: (name: string) => string | null;
  /** The NIC with the default route (detection's). */
  defaultRouteNic?: string | null;
  /** The chosen manager's files and version, as detection found them. */
  manager?: BackendInputs['manager'];
  libvirtNetworks: LibvirtNetwork[];
  networkScript: string | null;
  /** A live xl dom0 (--live): the kernel's state and the running guests, for the ip -batch path. */
  live?: LiveInputs;
  /** The xend wrapper, when a recipe composes more than the bridge (default: seed 000 lines 72–75). */
  wrapper?: WrapperSpec;
  /**
   * What a recipe adds around the main bridge: files edited with the others, and commands that
   * must run before the wrapper starts on xend (so its clean-up sees what they create) and after
   * the guests are defined on xl.
   */
  extra?: { files: Step[]; commands: Step[] };
  /**
   * xl: the recipe's own stanzas in the backend's files (internal-dummy's xenbr1), rendered over
   * the files as the main bridge's edit leaves them, so one file gets one edit; brought up after it.
   */
  backendExtra?: (read: ReadFile) => BackendRender;
}

/** The planner's inputs from a recipe's: the backend's interfaces files and live state only where they apply. */
export function bridgePlanInputs(topology: Topology, inputs: RecipeInputs): PlanInputs {
  return {
    topology,
    read: inputs.read,
    readLink: inputs.readLink,
    list: inputs.list,
    // ifupdown-ng reads the same interfaces(5) files (its own option names).
    interfaces: topology.profile === 'xl' && (topology.backend === 'ifupdown' || topology.backend === 'ifupdown-ng') ? inputs.interfaces : [],
    linkMac: (name) => inputs.host.links.find((l) => l.name === name)?.mac ?? null,
    defaultRouteNic: inputs.host.defaultRouteNic,
    manager: managerOf(inputs.host.managers, topology.backend),
    libvirtNetworks: inputs.host.libvirtNetworks,
    networkScript: inputs.host.networkScript,
    live: topology.profile === 'xl' ? inputs.live : undefined,
  };
}

/** Several edits of one file (the main bridge's, then the recipe's) as one change. */
function mergeChanges(changes: FileChange[]): FileChange[] {
  const byPath = new Map<string, FileChange>();
  for (const c of changes) {
    const first = byPath.get(c.path);
    byPath.set(c.path, first ? { ...c, before: first.before, mode: first.mode } : c);
  }
  return [...byPath.values()];
}

/** `read` as the dom0's files will be once `changes` are made. */
const readAfter = (read: ReadFile, changes: FileChange[]): ReadFile => (p) => {
  const c = changes.find((x) => x.path === p);
  return c ? (c.after === null ? null : { text: c.after, mode: c.mode }) : read(p);
};

interface LiveSteps {
  commands: Step[];
  files: Step[];
  /** The libvirt daemon's restart, once its status files are edited: the plan's last steps. */
  last: Step[];
  /** What libvirt's live view of the moved guests does (note.libvirtStatus, note.libvirtLiveXml). */
  notes: Plan['notes'];
}

const NO_LIVE_STEPS: LiveSteps = { commands: [], files: [], last: [], notes: [] };

/**
 * The live transaction and xenstore's bridge keys of the moved vifs, then (edit phase) libxl's
 * stored config of their domains and libvirt's status file of the guests it manages, whose
 * running interface its libxl driver cannot change (src/live/libvirtStatus.ts); none when the NIC
 * is already a port.
 */
function liveBatchSteps(inputs: PlanInputs, bridge: PortedBridge): LiveSteps {
  const { topology, live } = inputs;
  const { snapshot, running, guests } = live!;
  const nic = snapshot.links.find((l) => l.ifname === bridge.nic);
  if (nic?.master === bridge.name) return NO_LIVE_STEPS;
  const vifs = new Set<string>();
  const libvirtMoves = new LibvirtMoves();
  const keyed: XenstoreVif[] = [];
  const moved: LibxlVif[] = [];
  // Looked up by name once each, the first of a name as find() gave (not per move: 1,000 guests).
  const domains = firstByName(running);
  const byName = firstByName(guests);
  for (const move of topology.vifMoves) {
    const domain = domains.get(move.guest);
    const guest = byName.get(move.guest);
    if (!domain || !guest) continue;
    const name = vifName(guest, domain.domid, move.index);
    if (snapshot.links.find((l) => l.ifname === name)?.master !== topology.sourceBridge) continue;
    vifs.add(name);
    moved.push({ guest: move.guest, domid: domain.domid, devid: move.index });
    libvirtMoves.add(guest, domain.domid, name);
    // xenstore's backend/vif/<domid>/<n>/bridge is what the next hotplug of that vif reads.
    const current = live!.xenstoreBridges?.[`${domain.domid}/${move.index}`];
    if (current !== undefined) keyed.push({ domid: domain.domid, devid: move.index, vif: name, current });
  }
  const batch = renderBridgeBatch(snapshot, { nic: bridge.nic, bridge: bridge.name, vifs: [...vifs] });
  const commands = [commandStep('ip-batch-bridge', 'before-edit', ['ip', '-batch', '-'], {
    input: batch.forward,
    undo: ['ip', '-batch', '-'],
    undoInput: batch.inverse,
    title: { key: 'step.liveBatch', params: { nic: bridge.nic, bridge: bridge.name, vifs: vifs.size } },
  }), ...xenstoreBridgeSteps(keyed, bridge.name)];
  const sourceBridge = topology.sourceBridge;
  const files = sourceBridge ? libxlConfigSteps(moved, live!.libxlConfigs, inputs.read, sourceBridge, bridge.name) : [];
  const libvirt = libvirtMoves.follow(inputs.read, inputs.list ?? (() => []), inputs.libvirtNetworks, sourceBridge, bridge.name);
  return { commands, files: [...files, ...libvirt.files], last: libvirt.last, notes: libvirt.notes };
}

export function planSingleBridge(inputs: PlanInputs): Plan {
  const { topology, read } = inputs;
  const bridge = mainBridge(topology);
  const guestChanges = renderGuestDefinitions(topology.vifMoves, read);
  const guestSteps = guestChanges.map(({ change }) => fileStep(change));
  const extraFiles = inputs.extra?.files ?? [];
  const extraCommands = inputs.extra?.commands ?? [];
  const defineSteps = virshDefineSteps(guestChanges.filter(({ kind }) => kind === 'libvirt-xml').map(({ change }) => change.path));
  const steps: Step[] = [];
  const notes: Plan['notes'] = [];
  let method: Plan['method'];
  let lastSteps: Step[] = [];
  if (topology.profile === 'xend') {
    method = 'xend-sequence';
    const wrapper = inputs.wrapper ?? singleBridgeWrapper(bridge);
    const hostFiles = [renderXendConfig(read(XEND_CONFIG)), renderCustomScriptChange(wrapper, read(CUSTOM_SCRIPT))]
      .filter((c): c is FileChange => c !== null);
    if (hostFiles.length > 0) {
      const stop = currentNetworkScript(inputs.networkScript);
      const [script, ...args] = stop;
      steps.push(commandStep('network-bridge-stop', 'before-edit', [script, 'stop', ...args], {
        undo: [script, 'start', ...args],
        title: { key: 'step.networkBridgeStop', params: { script } },
      }));
      steps.push(...hostFiles.map(fileStep), ...extraFiles, ...guestSteps);
      steps.push(commandStep('service-network-restart', 'after-edit', ['service', 'network', 'restart'], {
        rerunOnRollback: true,
        title: { key: 'step.serviceNetworkRestart', params: {} },
      }));
      steps.push(...extraCommands);
      steps.push(commandStep('network-bridge-custom-start', 'after-edit', [CUSTOM_SCRIPT, 'start'], {
        undo: [CUSTOM_SCRIPT, 'stop'],
        title: { key: 'step.networkBridgeStart', params: { script: CUSTOM_SCRIPT } },
      }));
    } else {
      steps.push(...extraFiles, ...guestSteps, ...extraCommands);
    }
    steps.push(...defineSteps);
    if (guestSteps.length > 0) notes.push({ key: 'note.guestsRestart', params: {} });
  } else {
    method = inputs.live ? 'live' : 'backend-restart';
    // The live move changes the kernel in one ip -batch and leaves the files for the next boot; a
    // daemon holding the old config could put the address back on the NIC at its next carrier
    // event, so --live is refused there rather than left to chance, unless its hand-over of the
    // moved NIC is proven (NetworkBackend.readsFilesOnlyAtBoot, liveHandOver).
    const backendInputs = { interfaces: inputs.interfaces, read, linkMac: inputs.linkMac, defaultRouteNic: inputs.defaultRouteNic, list: inputs.list, manager: inputs.manager };
    const network = backendFor(topology.backend);
    const handOver = inputs.live ? network.liveHandOver?.({ nic: bridge.nic, bridge: bridge.name }, backendInputs) ?? null : null;
    if (inputs.live && !network.readsFilesOnlyAtBoot && !handOver) {
      throw new InputError('error.liveBackendUnproven', { backend: topology.backend });
    }
    const backend = network.portedBridge(bridge, backendInputs);
    const mainChanged = backend.files.length > 0;
    const own = inputs.backendExtra?.(readAfter(read, backend.files));
    if (own) backend.files = mergeChanges([...backend.files, ...own.files]);
    const xlConf = renderXlConf(bridge, read);
    const live = inputs.live ? liveBatchSteps(inputs, bridge) : NO_LIVE_STEPS;
    if (inputs.live) {
      // The kernel is changed in one transaction; the backend's files only persist it for the
      // next boot, so its ifdown/ifup are not run (seed 000 lines 7–18 done live). The boot
      // prerequisites stay: without them the next boot does not bring the bridge up.
      backend.commands = backend.commands.filter((c) => c.id === INSTALL_ID);
      steps.push(...backend.commands.map((c) => commandStep(c.id, c.phase, c.argv!, { undo: c.undo })));
      // A daemon holding the old config adopts the written files after the batch (NetworkBackend.liveHandOver).
      backend.commands = mainChanged && handOver ? handOver : [];
      steps.push(...live.commands);
    }
    steps.push(...backend.commands.filter((c) => c.phase === 'before-edit').map((c) => commandStep(c.id, c.phase, c.argv!, { undo: c.undo })));
    steps.push(...backend.files.map(fileStep));
    if (xlConf) steps.push(fileStep(xlConf));
    steps.push(...extraFiles, ...guestSteps, ...live.files);
    steps.push(...[...backend.commands, ...(own?.commands ?? [])].filter((c) => c.phase === 'after-edit').map((c) => commandStep(c.id, c.phase, c.argv!, { undo: c.undo, ...(c.rerunOnRollback ? { rerunOnRollback: true } : {}) })));
    steps.push(...defineSteps, ...extraCommands);
    if (mainChanged && !inputs.live) notes.push({ key: 'note.backendRestart', params: { nic: bridge.nic, bridge: bridge.name } });
    if (guestSteps.length > 0) notes.push({ key: inputs.live ? 'note.guestsLive' : 'note.guestsRestartXl', params: {} });
    notes.push(...live.notes);
    lastSteps = live.last;
  }
  steps.push(...libvirtDisableSteps(topology.libvirtDisable, inputs.libvirtNetworks, inputs.readLink));
  // The daemon reads its status files once every libvirt command of the plan has run.
  steps.push(...lastSteps);
  const batch = steps.find((s) => s.id === 'run:ip-batch-bridge');
  const defaultRoute = inputs.live?.snapshot.routes.find((r) => r.dst === 'default' && r.dev === bridge.nic);
  const confirm = batch && (defaultRoute || inputs.live?.sshClient)
    ? { gateway: defaultRoute?.gateway ?? null, sshClient: inputs.live?.sshClient ?? null }
    : undefined;
  return planOf(topology, method, steps, notes, confirm);
}
