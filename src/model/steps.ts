// The building blocks every recipe's plan is made of: a file step, a command step, and the
// libvirt network steps several recipes share (seed 000 lines 80–81, 192–199).
import type { FileChange, Plan, Step } from './plan.js';
import type { Topology } from './topology.js';
import type { LibvirtNetwork } from './host.js';

export const fileStep = (change: FileChange): Step => ({
  id: `edit:${change.path}`,
  kind: 'file',
  phase: 'edit',
  title: { key: change.before === null ? 'step.createFile' : 'step.editFile', params: { path: change.path } },
  file: change,
});

export const commandStep = (id: string, phase: Step['phase'], argv: string[], extra: Partial<Step> = {}): Step => ({
  id: `run:${id}`,
  kind: 'command',
  phase,
  title: { key: 'step.run', params: { command: argv.join(' ') } },
  argv,
  ...extra,
});

/**
 * Stop libvirt networks and take them out of autostart (seed 000 lines 80–81). Offline (--root),
 * `net-autostart --disable` is what it does on disk: remove the autostart link, like
 * `systemctl --root disable`.
 */
export function libvirtDisableSteps(names: string[], networks: LibvirtNetwork[], readLink: (p: string) => string | null): Step[] {
  const steps: Step[] = [];
  for (const name of names) {
    const net = networks.find((n) => n.name === name);
    if (!net?.autostart || !net.autostartPath) continue;
    steps.push(commandStep(`virsh-net-destroy-${name}`, 'finally', ['virsh', 'net-destroy', name], {
      undo: ['virsh', 'net-start', name],
      title: { key: 'step.netDestroy', params: { network: name } },
    }));
    steps.push(commandStep(`virsh-net-autostart-disable-${name}`, 'finally', ['virsh', 'net-autostart', name, '--disable'], {
      undo: ['virsh', 'net-autostart', name],
      title: { key: 'step.netAutostartDisable', params: { network: name } },
      offline: { path: net.autostartPath, mode: '0777', before: '', after: null, linkTarget: readLink(net.autostartPath) ?? net.path },
    }));
  }
  return steps;
}

/** `virsh define FILE` after each edited libvirt XML dump (seed 000 line 59). */
export function virshDefineSteps(paths: string[]): Step[] {
  return paths.map((path) => commandStep(`virsh-define-${path}`, 'after-edit', ['virsh', 'define', path], {
    title: { key: 'step.virshDefine', params: { path } },
    rerunOnRollback: true,
  }));
}

/** The plan of a recipe: its steps, and notes only when there is something to do. */
export function planOf(topology: Topology, method: Plan['method'], steps: Step[], notes: Plan['notes'], confirm?: Plan['confirm']): Plan {
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
