// Xen keeps each vif's bridge in xenstore (backend/vif/<domid>/<devid>/bridge); the vif-bridge
// hotplug script reads it again on the vif's next hotplug event (xl network-detach, save/restore),
// and `xl network-list` points at it. Moving a vif with `ip link set master` does not touch it, so
// after the live move the key must say the new bridge — and rollback must put the old one back.
import type { Step } from '../model/plan.js';

/** The vif's backend directory in dom0 (backend domain 0: vifs with backend= elsewhere are not ours). */
export const vifBackendPath = (domid: number, devid: number): string => `/local/domain/0/backend/vif/${domid}/${devid}`;

export interface XenstoreVif { domid: number; devid: number; vif: string; current: string }

/** One `xenstore-write` per moved vif whose key says another bridge; undo writes the old value. */
export function xenstoreBridgeSteps(vifs: XenstoreVif[], bridge: string): Step[] {
  return vifs
    .filter((v) => v.current !== bridge)
    .map((v) => {
      const key = `${vifBackendPath(v.domid, v.devid)}/bridge`;
      return {
        id: `run:xenstore-bridge-${v.vif}`,
        kind: 'command',
        phase: 'before-edit',
        title: { key: 'step.xenstoreBridge', params: { vif: v.vif, bridge } },
        argv: ['xenstore-write', key, bridge],
        undo: ['xenstore-write', key, v.current],
      } satisfies Step;
    });
}

/**
 * The bridge key of every vif of the running domains, "domid/devid" → bridge, read with
 * xenstore-read. Empty where xenstore is not there (no Xen, the namespace testbed's stand-in xl).
 */
export async function readVifBridges(domids: number[]): Promise<Map<string, string>> {
  const { execa } = await import('execa');
  const result = new Map<string, string>();
  for (const domid of domids) {
    const list = await execa('xenstore-list', [`/local/domain/0/backend/vif/${domid}`], { reject: false, stdin: 'ignore' });
    if (list.failed || list.exitCode !== 0) continue;
    for (const devid of String(list.stdout).split('\n').filter((d) => /^\d+$/.test(d))) {
      const read = await execa('xenstore-read', [`${vifBackendPath(domid, Number(devid))}/bridge`], { reject: false, stdin: 'ignore' });
      if (!read.failed && read.exitCode === 0) result.set(`${domid}/${devid}`, String(read.stdout).trim());
    }
  }
  return result;
}
