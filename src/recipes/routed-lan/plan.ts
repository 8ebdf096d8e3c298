// Topology × profile × current files → the ordered plan of recipe routed-lan.
// xend: the guide's sequence (seed 000 lines 13–16) around its files — network-bridge stop → edit
// → service network restart → libvirt's networks (default out, virnet0 in: lines 418–425) →
// network-bridge-custom start, which sets the routes once virbr0 exists (line 475) → virsh define.
// xl: single-bridge's plan for the WAN bridge and the guests, then the routed network, the
// routes and rules now (`ip`), persisted in a libvirt network hook, and the sysctls.
import { mainBridge, type Topology } from '../../model/topology.js';
import type { FileChange, Plan, Step } from '../../model/plan.js';
import type { RecipeInputs } from '../types.js';
import { commandStep, fileStep, libvirtDisableSteps, virshDefineSteps } from '../../model/steps.js';
import { bridgePlanInputs, planSingleBridge } from '../shared/bridgeMovePlan.js';
import { renderGuestDefinitions } from '../../render/guestDefinitions.js';
import { currentNetworkScript, renderXendConfig, CUSTOM_SCRIPT, XEND_CONFIG } from '../../render/xend.js';
import { libvirtDefineSteps } from '../../render/libvirtNetwork.js';
import { sysctlPlan } from '../../render/sysctl.js';
import { renderRouteConf, renderRtTables, routingSteps, ROUTE_CONF } from '../../render/routing.js';
import { NETWORK_HOOK, UTIL_SCRIPT, renderNetworkHook, renderRoutedWrapper, renderUtilScript, wantFile } from './host.js';

const SYSCTL_HEADER = 'xen-net-wizard, recipe routed-lan (seed 000 lines 477–498)';

/** Comments of route.conf's sections (file content, not UI: it is read by the admin on dom0). */
const TABLE_COMMENTS: Record<string, string> = {
  wanside: 'packets that came in from the WAN segment go back there only',
  lanside: "packets that came in from the LAN reach the guests' LAN vifs, nothing else",
  virside: "packets from the guests' LAN vifs reach the LAN, nothing else",
};

const present = (c: FileChange | null): c is FileChange => c !== null;

function splitFiles(steps: Step[]): { files: Step[]; commands: Step[] } {
  return { files: steps.filter((s) => s.kind === 'file'), commands: steps.filter((s) => s.kind === 'command') };
}

export function planRoutedLan(topology: Topology, inputs: RecipeInputs): Plan {
  const { read, host } = inputs;
  const routing = topology.routing!;
  const net = topology.libvirtDefine[0];
  const lanNic = net.forward!.dev!;
  const routeConf = wantFile(ROUTE_CONF, renderRouteConf(routing, TABLE_COMMENTS), '0644', read);
  const rtTables = renderRtTables(routing.tables, read);
  const libvirt = splitFiles(libvirtDefineSteps(net, host.libvirtNetworks, read));
  const disable = libvirtDisableSteps(topology.libvirtDisable, host.libvirtNetworks, inputs.readLink);
  const notes: Plan['notes'] = [];
  let steps: Step[];
  let base: Plan | null = null;
  if (topology.profile === 'xend') {
    const bridge = mainBridge(topology);
    // rp_filter is the wrapper's own line (seed 000 line 479); the rest goes to sysctl.conf (line 498).
    const sysctls = topology.sysctls.filter((s) => !s.key.endsWith('.rp_filter'));
    const hostFiles = [
      renderXendConfig(read(XEND_CONFIG)),
      wantFile(CUSTOM_SCRIPT, renderRoutedWrapper({ bridge: bridge.name, nic: bridge.nic, lanNic }), '0755', read),
      wantFile(UTIL_SCRIPT, renderUtilScript(), '0755', read),
      routeConf,
      rtTables,
    ].filter(present);
    const guestChanges = renderGuestDefinitions(topology.vifMoves, read);
    const sysctl = splitFiles(sysctlPlan('xend', sysctls, read, SYSCTL_HEADER));
    const files = [...hostFiles.map(fileStep), ...sysctl.files];
    files.push(...libvirt.files, ...guestChanges.map(({ change }) => fileStep(change)));
    steps = [];
    if (hostFiles.length > 0) {
      const [script, ...args] = currentNetworkScript(host.networkScript);
      steps.push(commandStep('network-bridge-stop', 'before-edit', [script, 'stop', ...args], {
        undo: [script, 'start', ...args],
        title: { key: 'step.networkBridgeStop', params: { script } },
      }));
    }
    steps.push(...files);
    if (hostFiles.length > 0) {
      steps.push(commandStep('service-network-restart', 'after-edit', ['service', 'network', 'restart'], {
        rerunOnRollback: true,
        title: { key: 'step.serviceNetworkRestart', params: {} },
      }));
    }
    steps.push(...disable, ...libvirt.commands);
    if (hostFiles.length > 0) {
      steps.push(commandStep('network-bridge-custom-start', 'after-edit', [CUSTOM_SCRIPT, 'start'], {
        undo: [CUSTOM_SCRIPT, 'stop'],
        title: { key: 'step.networkBridgeStart', params: { script: CUSTOM_SCRIPT } },
      }));
    }
    steps.push(...virshDefineSteps(guestChanges.filter(({ kind }) => kind === 'libvirt-xml').map(({ change }) => change.path)));
    steps.push(...sysctl.commands);
  } else {
    // single-bridge's plan builds the WAN bridge, edits the guests and takes `default` off virbr0.
    base = planSingleBridge(bridgePlanInputs(topology, inputs));
    const routingFiles = [routeConf, rtTables, wantFile(NETWORK_HOOK, renderNetworkHook(net.name), '0755', read)].filter(present);
    const sysctl = splitFiles(sysctlPlan('xl', topology.sysctls, read, SYSCTL_HEADER));
    const files = [...routingFiles.map(fileStep), ...sysctl.files];
    files.push(...libvirt.files);
    // The routing's files go with the other edits, first: the guests' configs stay the last edits.
    const firstFile = base.steps.findIndex((s) => s.kind === 'file');
    const at = firstFile < 0 ? base.steps.length : firstFile;
    steps = [...base.steps.slice(0, at), ...files, ...base.steps.slice(at)];
    steps.push(...libvirt.commands);
    // The hook sets the routes whenever the network starts from now on (libvirtd finds a new hook
    // when it starts); the plan sets them now, after the network is up.
    if (routingFiles.length > 0) steps.push(...routingSteps(routing));
    steps.push(...sysctl.commands);
    if (routingFiles.some((f) => f.path === NETWORK_HOOK)) notes.push({ key: 'note.routedHook', params: { hook: NETWORK_HOOK } });
    notes.push(...base.notes);
  }
  if (topology.vifMoves.some((m) => m.add)) notes.push({ key: 'note.routedGuestsRestart', params: {} });
  return {
    ...(base?.confirm ? { confirm: base.confirm } : {}),
    recipe: topology.recipe,
    profile: topology.profile,
    backend: topology.backend,
    method: base?.method ?? 'xend-sequence',
    steps,
    notes: steps.length > 0 ? notes : [],
    instructions: steps.length > 0 ? topology.instructions : [],
  };
}
