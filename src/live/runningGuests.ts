// Running guests and the dom0-side names of their vifs: `xl list` gives name → domid, and Xen's
// hotplug names a vif `vif<domid>.<devid>` unless the config sets vifname= (xl.cfg(5)).
import type { Guest } from '../model/host.js';

export interface RunningGuest { name: string; domid: number }

/** `xl list`: a header, then Name ID Mem VCPUs State Time(s); Domain-0 is dom0 itself. */
export function parseXlList(text: string): RunningGuest[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 2 && /^\d+$/.test(cols[1]) && cols[0] !== 'Domain-0')
    .map(([name, id]) => ({ name, domid: Number(id) }));
}

export function vifName(guest: Guest, domid: number, index: number): string {
  for (const def of guest.definitions) {
    const vif = def.vifs.find((v) => v.index === index);
    if (vif?.keys.vifname) return vif.keys.vifname;
  }
  return `vif${domid}.${index}`;
}
