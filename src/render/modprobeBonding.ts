// The bonding driver's module options: what makes the bond's name a bond at boot on xend (RHEL 5),
// and what keeps the driver from taking the bridge's name on xl.
import type { FileChange, ReadFile } from '../model/plan.js';

const words = (line: string) => line.trim().split(/\s+/).join(' ');

/** RHEL 5 loads the driver for the bond's name through an alias (bonding.txt, initscripts section). */
export function renderModprobeAlias(device: string, read: ReadFile): FileChange | null {
  const path = '/etc/modprobe.conf';
  const file = read(path);
  const text = file?.text ?? '';
  if (text.split('\n').some((l) => words(l) === `alias ${device} bonding`)) return null;
  const after = text + (text === '' || text.endsWith('\n') ? '' : '\n') + `alias ${device} bonding\n`;
  return { path, mode: file?.mode ?? '0644', before: file ? text : null, after };
}

export const MAX_BONDS_CONF = '/etc/modprobe.d/xen-net-wizard-bonding.conf';

/**
 * With its default max_bonds=1 the driver creates a bond named bond0 the moment it loads (ifenslave
 * and initscripts load it to create p<bridge>); the bridge guests join is named bond0 (seed 000
 * line 328), so that default device must not appear.
 */
export function renderMaxBondsZero(read: ReadFile): FileChange | null {
  const file = read(MAX_BONDS_CONF);
  const after = [
    '# xen-net-wizard, recipe bond-bridge: no default bond0 when the bonding driver loads;',
    '# that name is the bridge over the bond (seed 000 line 328). Bonds are created by name.',
    'options bonding max_bonds=0',
    '',
  ].join('\n');
  if (file?.text === after) return null;
  return { path: MAX_BONDS_CONF, mode: file?.mode ?? '0644', before: file?.text ?? null, after };
}
