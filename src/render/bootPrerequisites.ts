// Boot prerequisites (issue 12): the packages without which the persisted files do not bring the
// network up at the next boot. Debian's ifupdown honours bridge_ports only through bridge-utils'
// hook (/etc/network/if-pre-up.d/bridge), bond-* only through ifenslave's, vlan-raw-device only
// through vlan's; Xen's packages pull in none of them. Read from the root's dpkg database, so an
// offline run judges the dom0 it edits, not the machine it runs on.
import type { ReadFile, Step } from '../model/plan.js';

/** What a backend renders (src/backends/types.ts BackendRender): its files and commands. */
interface Rendered { files: unknown[]; commands: Pick<Step, 'argv' | 'undo' | 'phase' | 'id'>[] }

export const DPKG_STATUS = '/var/lib/dpkg/status';
export const INSTALL_ID = 'apt-get-install-prerequisites';

/** Names of the packages dpkg has installed ("install ok installed"); null when the root has no dpkg database. */
export function installedDebPackages(read: ReadFile): Set<string> | null {
  const status = read(DPKG_STATUS);
  if (!status) return null;
  const installed = new Set<string>();
  for (const para of status.text.split(/\n\s*\n/)) {
    const name = /^Package:\s*(\S+)/m.exec(para)?.[1];
    if (name && /^Status:\s*install ok installed\s*$/m.test(para)) installed.add(name);
  }
  return installed;
}

/** Of `wanted`, those the root's dpkg lacks; [] on a root without dpkg (not a Debian-like dom0 to judge). */
export function missingDebPackages(read: ReadFile, wanted: string[]): string[] {
  const installed = installedDebPackages(read);
  return installed ? wanted.filter((p) => !installed.has(p)) : [];
}

/**
 * The render with `apt-get install -y PKG…` first (before the NIC is taken down), when the root
 * lacks any of `wanted` and the render changes files. Left installed on rollback: removing a
 * package the admin may use for more than this bridge is not the wizard's call.
 */
export function withPrerequisites<R extends Rendered>(render: R, read: ReadFile, wanted: string[]): R {
  if (render.files.length === 0) return render;
  const missing = missingDebPackages(read, wanted);
  if (missing.length === 0) return render;
  const install = { id: INSTALL_ID, phase: 'before-edit' as const, argv: ['apt-get', 'install', '-y', ...missing] };
  return { ...render, commands: [install, ...render.commands] };
}

/** The packages a step installs, when it is the prerequisites' install. */
export function prerequisitePackages(step: { id: string; argv?: string[] }): string[] | null {
  return step.id === `run:${INSTALL_ID}` && step.argv ? step.argv.slice(3) : null;
}
