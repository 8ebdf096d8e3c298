// The persistence seam: what a network backend (ifupdown, ifcfg, …) returns for a Topology's
// bridges and bonds — the files it writes and the commands that bring the result up live.
import type { FileChange, ReadFile, Step } from '../model/plan.js';

export interface BridgeMigration {
  nic: string;
  bridge: string;
  /** The bridge's port when it is not the NIC whose addressing moves (a bond over the NIC). */
  port?: string;
  /** Stanzas written just before the bridge's (the bond it is built over). */
  prelude?: string[];
  /** The recipe named in the block's comment. */
  recipe?: string;
}

export interface BackendRender {
  files: FileChange[];
  /** Commands around the edit, with their undo: take the NIC down before, bring the bridge up after. */
  commands: Pick<Step, 'argv' | 'undo' | 'phase' | 'id'>[];
}


/** Recipe shadow-bridge (seed 001 lines 134–139): the NIC renamed, a bridge with its name and MAC over it. */
export interface ShadowRename {
  /** The name dom0 keeps: the bridge's from now on (eth0, eno1). */
  nic: string;
  /** The NIC's new name (seed 001 line 37: "s$i"). */
  port: string;
  /** The NIC's MAC, the bridge's too (seed 001 line 139). */
  mac: string;
}

/** The commands around a shadow rename without --live: the NIC down, renamed once by hand, the bridge up. */
export function shadowRenameCommands(s: ShadowRename, up: string[]): BackendRender['commands'] {
  return [
    { id: `ifdown-${s.nic}`, phase: 'before-edit', argv: ['ifdown', s.nic], undo: ['ifup', s.nic] },
    { id: `rename-${s.nic}`, phase: 'after-edit', argv: ['ip', 'link', 'set', 'dev', s.nic, 'name', s.port], undo: ['ip', 'link', 'set', 'dev', s.port, 'name', s.nic] },
    ...up.map((name) => ({ id: `ifup-${name}`, phase: 'after-edit' as const, argv: ['ifup', name], undo: ['ifdown', name] })),
  ];
}

/** Recipe vlan-bridges (seed 002 lines 97–114): 802.1Q VLANs of a trunk NIC, one bridge each. */
export interface Vlan { id: number; dev: string; bridge: string }
export interface VlanLayout {
  nic: string;
  vlans: Vlan[];
  /** seed 002 line 111: room for the 4-byte tag when the NIC cannot carry it in a full frame. */
  mtu1496: boolean;
  /** seed 002 line 113: transmit checksum offload off on the trunk NIC. */
  txOff: boolean;
}

/** A FileChange for a file the recipe owns whole: none when it already has that text. */
export function ownedFile(path: string, mode: string, after: string, read: ReadFile): FileChange | null {
  const f = read(path);
  if (f && f.text === after) return null;
  return { path, mode: f?.mode ?? mode, before: f?.text ?? null, after };
}

/** seed 002 lines 111 and 113 applied now, when the backend has just written them for the next boot. */
export function trunkNowCommands(nic: string, mtu: boolean, txOff: boolean): BackendRender['commands'] {
  return [
    ...(mtu ? [{ id: `mtu-${nic}`, phase: 'after-edit' as const, argv: ['ip', 'link', 'set', 'dev', nic, 'mtu', '1496'], undo: ['ip', 'link', 'set', 'dev', nic, 'mtu', '1500'] }] : []),
    ...(txOff ? [{ id: `ethtool-${nic}-tx-off`, phase: 'after-edit' as const, argv: ['ethtool', '-K', nic, 'tx', 'off'], undo: ['ethtool', '-K', nic, 'tx', 'on'] }] : []),
  ];
}
