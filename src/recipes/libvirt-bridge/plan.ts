// Recipe libvirt-bridge's plan, in the manual's order (seed 003): Xen's network script disabled
// (lines 5–10), NetworkManager handled (lines 11–22), ifcfg-eth0 / ifcfg-br0 (lines 24–49), the
// network restarted (line 51), bridged traffic let through the firewall (lines 52–63), libvirtd
// reloaded (line 66); the guests' vifs and XML on br0, `virsh define`.
import type { FileChange, Plan, Step } from '../../model/plan.js';
import type { RecipeInputs } from '../types.js';
import { commandStep, fileStep, virshDefineSteps } from '../../model/steps.js';
import { renderIfcfg } from '../../backends/ifcfg.js';
import { parseIfcfg, removeVar, setVar, getVar } from '../../parse/ifcfg.js';
import { getDirective, setDirective } from '../../parse/sxp.js';
import { currentNetworkScript, XEND_CONFIG } from '../../render/xend.js';
import { renderGuestDefinitions } from '../../render/guestDefinitions.js';
import { sysctlPlan } from '../../render/sysctl.js';
import { IPTABLES_FILE, PHYSDEV_RULE, renderIptablesFile } from './netfilter.js';
import type { LibvirtBridgeResolution } from './resolution.js';

const HEADER = 'xen-net-wizard, recipe libvirt-bridge (seed 003: bridged traffic not filtered by iptables)';
/** seed 003 line 10. */
export const TRUE_SCRIPT = '/bin/true';

/**
 * NM_CONTROLLED=no in both files (xend, `nm-controlled-no`: line 22); absent from both when
 * NetworkManager is turned off (lines 15–18: the manual's files have none) and on xl, where
 * NetworkManager's ifcfg-rh plugin is to manage the bridge.
 */
function nmControlled(change: FileChange, keep: boolean): FileChange {
  const file = parseIfcfg(change.after!, change.path);
  const has = getVar(file, 'NM_CONTROLLED') !== undefined;
  const after = keep ? setVar(change.after!, change.path, 'NM_CONTROLLED', 'no') : has ? removeVar(change.after!, change.path, 'NM_CONTROLLED') : change.after!;
  return { ...change, after };
}

export function planLibvirtBridge(r: LibvirtBridgeResolution, inputs: RecipeInputs): Plan {
  const { read, host } = inputs;
  const { topology, bridge } = r;
  const xend = topology.profile === 'xend';
  const backend = renderIfcfg(bridge, read);
  const keepNmOut = xend && r.nm === 'nm-controlled-no';
  const ifcfgFiles = backend.files.map((f) => nmControlled(f, keepNmOut));
  const sxpFile = read(XEND_CONFIG);
  const sxp: FileChange | null = xend && sxpFile && getDirective(sxpFile.text, XEND_CONFIG, 'network-script')?.value !== TRUE_SCRIPT
    ? { path: XEND_CONFIG, mode: sxpFile.mode, before: sxpFile.text, after: setDirective(sxpFile.text, XEND_CONFIG, 'network-script', TRUE_SCRIPT) }
    : null;
  const iptablesFile = r.netfilter === 'iptables' ? renderIptablesFile(read) : null;
  const sysctl = sysctlPlan(topology.profile, topology.sysctls, read, HEADER);
  const guests = renderGuestDefinitions(topology.vifMoves, read);
  const hostChanged = sxp !== null || ifcfgFiles.length > 0;
  const steps: Step[] = [];
  if (xend && hostChanged) {
    // Line 7: "if the system uses the Xen bridge": take it down first, so eth0 is the NIC again.
    const [script, ...args] = currentNetworkScript(host.networkScript);
    if (script !== TRUE_SCRIPT) {
      steps.push(commandStep('network-script-stop', 'before-edit', [script, 'stop', ...args], {
        undo: [script, 'start', ...args],
        title: { key: 'step.networkBridgeStop', params: { script } },
      }));
    }
    if (r.nm === 'disable') {
      // Lines 15–18, in the manual's order; `service network start` follows as the restart below.
      steps.push(commandStep('chkconfig-nm-off', 'before-edit', ['chkconfig', 'NetworkManager', 'off'], { undo: ['chkconfig', 'NetworkManager', 'on'] }));
      steps.push(commandStep('chkconfig-network-on', 'before-edit', ['chkconfig', 'network', 'on']));
      steps.push(commandStep('service-nm-stop', 'before-edit', ['service', 'NetworkManager', 'stop'], { undo: ['service', 'NetworkManager', 'start'] }));
    }
  }
  if (!xend) {
    steps.push(...backend.commands.filter((c) => c.phase === 'before-edit').map((c) => commandStep(c.id!, c.phase!, c.argv!, { undo: c.undo })));
  }
  steps.push(...[sxp, ...ifcfgFiles, iptablesFile].filter((f): f is FileChange => f !== null).map(fileStep));
  steps.push(...sysctl.filter((s) => s.kind === 'file'));
  steps.push(...guests.map((g) => fileStep(g.change)));
  if (xend && hostChanged) {
    steps.push(commandStep('service-network-restart', 'after-edit', ['service', 'network', 'restart'], {
      rerunOnRollback: true,
      title: { key: 'step.serviceNetworkRestart', params: {} },
    }));
  } else if (!xend && ifcfgFiles.length > 0) {
    // NetworkManager reads the edited ifcfg files (ifcfg-rh) before RHEL's ifup, its wrapper, runs.
    steps.push(commandStep('nmcli-reload', 'after-edit', ['nmcli', 'connection', 'reload'], { rerunOnRollback: true }));
    steps.push(...backend.commands.filter((c) => c.phase === 'after-edit').map((c) => commandStep(c.id!, c.phase!, c.argv!, { undo: c.undo })));
  }
  if (iptablesFile) {
    // Line 53 now; the file above is what line 54's `service iptables save` would write.
    steps.push(commandStep('iptables-physdev', 'after-edit', ['iptables', '-I', ...PHYSDEV_RULE], {
      undo: ['iptables', '-D', ...PHYSDEV_RULE],
      title: { key: 'step.libvirtBridgeIptables', params: { file: IPTABLES_FILE } },
    }));
  }
  steps.push(...sysctl.filter((s) => s.kind === 'command'));
  if (steps.length > 0) {
    const reload = xend ? ['service', 'libvirtd', 'reload'] : ['systemctl', 'reload', 'libvirtd'];
    steps.push(commandStep('libvirtd-reload', 'after-edit', reload, {
      rerunOnRollback: true,
      title: { key: 'step.libvirtdReload', params: { command: reload.join(' ') } },
    }));
  }
  steps.push(...virshDefineSteps(guests.filter((g) => g.kind === 'libvirt-xml').map((g) => g.change.path)));
  const notes: Plan['notes'] = [];
  if (r.netfilter === 'sysctl' && !xend) notes.push({ key: 'note.libvirtBridgeSysctl', params: {} });
  if (r.netfilter === 'none') notes.push({ key: 'note.libvirtBridgeNoNetfilter', params: {} });
  if (guests.length > 0) notes.push({ key: 'note.libvirtBridgeGuests', params: { bridge: bridge.name } });
  return {
    recipe: topology.recipe,
    profile: topology.profile,
    backend: 'ifcfg',
    method: xend ? 'network-restart' : 'backend-restart',
    steps,
    notes: steps.length > 0 ? notes : [],
  };
}
