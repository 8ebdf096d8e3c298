// Kernel parameters a recipe sets (seed 000 line 157: ip_forward=0 for internal-only layouts;
// lines 481–498: ip_forward, rp_filter, proxy_arp, accept_redirects for routed-lan), persisted
// where the distro reads them at boot and applied now with `sysctl -w`.
import type { Sysctl } from '../model/topology.js';
import type { FileChange, ReadFile, Step } from '../model/plan.js';
import type { Profile } from '../model/host.js';
import { commandStep, fileStep } from '../model/steps.js';

/** xend hosts (CentOS 5, Fedora 8) read /etc/sysctl.conf (seed 000 line 498); xl hosts /etc/sysctl.d. */
export const SYSCTL_CONF = '/etc/sysctl.conf';
export const SYSCTL_DROPIN = '/etc/sysctl.d/60-xen-net-wizard.conf';

const lineKey = (line: string) => /^\s*([A-Za-z0-9_.\-/]+)\s*=/.exec(line)?.[1]?.replace(/\//g, '.');

/** Set each key in sysctl.conf: replace its live line in place, else append; comments untouched. */
export function setSysctlLines(text: string, sysctls: Sysctl[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const trailing = lines.at(-1) === '';
  if (trailing) lines.pop();
  for (const { key, value } of sysctls) {
    const at = lines.map(lineKey).lastIndexOf(key);
    if (at >= 0) {
      const current = /=\s*(.*?)\s*$/.exec(lines[at])![1];
      if (current !== value) lines[at] = `${key} = ${value}`;
    } else {
      lines.push(`${key} = ${value}`);
    }
  }
  return lines.join(eol) + (trailing || lines.length ? eol : '');
}

export function renderSysctlFile(profile: Profile, sysctls: Sysctl[], read: ReadFile, header: string): FileChange | null {
  if (sysctls.length === 0) return null;
  if (profile === 'xend') {
    const file = read(SYSCTL_CONF);
    const before = file?.text ?? '';
    const after = setSysctlLines(before, sysctls);
    return after === before ? null : { path: SYSCTL_CONF, mode: file?.mode ?? '0644', before: file ? before : null, after };
  }
  const file = read(SYSCTL_DROPIN);
  const after = [`# ${header}`, ...sysctls.map((s) => `${s.key} = ${s.value}`), ''].join('\n');
  return file?.text === after ? null : { path: SYSCTL_DROPIN, mode: file?.mode ?? '0644', before: file?.text ?? null, after };
}

/** /proc/sys path of a key (dots → slashes; an interface name keeps its own dots only via '/'). */
export function procPath(key: string): string {
  return `/proc/sys/${key.replace(/\./g, '/')}`;
}

/**
 * `sysctl -w key=value` now, undone with the value the kernel had (read from /proc/sys when the
 * root has it; a --root fixture without /proc lists the command and has nothing to undo live).
 */
export function sysctlSteps(sysctls: Sysctl[], read: ReadFile): Step[] {
  return sysctls.flatMap(({ key, value }) => {
    const now = read(procPath(key))?.text.trim();
    if (now === value) return [];
    return [commandStep(`sysctl-${key}`, 'after-edit', ['sysctl', '-w', `${key}=${value}`], {
      ...(now !== undefined ? { undo: ['sysctl', '-w', `${key}=${now}`] } : {}),
      title: { key: 'step.sysctl', params: { key, value } },
    })];
  });
}

export function sysctlPlan(profile: Profile, sysctls: Sysctl[], read: ReadFile, header: string): Step[] {
  const file = renderSysctlFile(profile, sysctls, read, header);
  // A root without /proc/sys (an offline --root) cannot say what the kernel has: the persisted
  // file is then the only state, and once it is right a second run has nothing to do.
  const known = sysctls.filter(({ key }) => file !== null || read(procPath(key)) !== null);
  return [...(file ? [fileStep(file)] : []), ...sysctlSteps(known, read)];
}
