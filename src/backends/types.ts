// The persistence seam (netplan's one model, several renderers): a network backend turns the
// Topology's bridges and bonds, with the files it reads, into file changes and the commands that
// bring them up and down. A recipe never knows which backend persists it; a backend never knows
// which recipe asked. Adding one: its file, implementing NetworkBackend, and a line in registry.ts.
import type { Backend, ManagerClaim } from '../model/host.js';
import { InputError } from '../errors.js';
import type { FileChange, ReadFile, Step } from '../model/plan.js';
import type { BondSpec, BridgeSpec, PortedBridge } from '../model/topology.js';
import type { InterfacesFile } from '../parse/interfaces.js';

export interface BridgeMigration {
  nic: string;
  bridge: string;
  /** The bridge's port when it is not the NIC whose addressing moves (a bond over the NIC). */
  port?: string;
  /** Stanzas written just before the bridge's (the bond it is built over). */
  prelude?: string[];
  /** The recipe named in the block's comment. */
  recipe?: string;
  /** The dialect of interfaces(5) written (default: Debian ifupdown with bridge-utils). */
  style?: InterfacesStyle;
  /**
   * The NIC's MAC, pinned on the bridge when the NIC is configured by DHCP: the bridge otherwise
   * takes whichever port's MAC is lowest at boot, and a DHCP server keyed on the MAC would hand
   * out a new lease (a new address). null/absent: nothing pinned.
   */
  mac?: string | null;
}

/** How a reader of interfaces(5) spells a bridge's options and a fixed MAC (ifupdown-ng differs). */
export interface InterfacesStyle {
  bridgeOptions(indent: string, port: string): string[];
  hwaddress(indent: string, mac: string): string;
}

export interface BackendRender {
  files: FileChange[];
  /** Commands around the edit, with their undo: take the NIC down before, bring the bridge up after. */
  commands: Pick<Step, 'argv' | 'undo' | 'phase' | 'id' | 'rerunOnRollback'>[];
}

/**
 * An internal-only bridge (internal-dummy on xl): ifupdown and ifcfg create a bridge with no port
 * at all, which the kernel keeps up with its address, and guests' vifs join it through vif-bridge.
 * A fixed MAC (hwaddress / MACADDR) plays the role of the dummy's MACADDR (seed 000 line 216):
 * without it the bridge takes its lowest port's MAC, so dom0's address would change MAC as guests
 * come and go.
 */
export interface InternalBridge {
  bridge: BridgeSpec;
  /** A fixed MAC for a bridge with no port; null when a NIC is its port (the bridge takes its MAC). */
  mac: string | null;
}

/** What a backend reads: the dom0's files, and /etc/network/interfaces with its parts, parsed. */
export interface BackendInputs {
  read: ReadFile;
  interfaces: InterfacesFile[];
  /** The MAC each NIC has now (detection's links), for a DHCP NIC's bridge to keep it. */
  linkMac?: (name: string) => string | null;
  /** The NIC that carries the default route now: a `manual` NIC that does has its address from elsewhere. */
  defaultRouteNic?: string | null;
  /**
   * What detection found of the manager: the files it reads at boot, in its order (netplan's YAML,
   * NetworkManager's keyfiles and ifcfg-rh files), and its version (keyfile keys depend on it).
   */
  manager?: { files: string[]; version: string | null };
  /** Entry names of a dom0 directory, sorted ([] when absent): backends whose files are a directory of units. */
  list?: (dir: string) => string[];
}

export interface NetworkBackend {
  id: Exclude<Backend, 'unknown'>;
  /**
   * The configuration is read only at boot (ifupdown, ifupdown-ng, initscripts): a live move needs
   * nothing from the manager. false for a daemon holding the old config in memory (networkd,
   * NetworkManager, netplan's renderers, wicked), where --live is refused until the hand-over is proven.
   */
  readsFilesOnlyAtBoot: boolean;
  /**
   * A daemon's live hand-over, proven against the real daemon in the namespace testbed: after the
   * wizard's ip batch has moved the NIC (kernel state final) and the files are written, the
   * commands that make the daemon adopt the new files without tearing the bridge down; rerun after
   * the files are restored on rollback, so the daemon takes the old ones back. Absent on a daemon
   * whose hand-over is not proven, or null for a configuration it is not proven for (netplan
   * rendering to NetworkManager): --live is refused there (error.liveBackendUnproven).
   */
  liveHandOver?(move: { nic: string; bridge: string }, files: BackendInputs): BackendRender['commands'] | null;
  /** A bridge over a port (a NIC) that takes over the port's addressing (single-bridge's xenbr0). */
  portedBridge(bridge: PortedBridge, files: BackendInputs): BackendRender;
  /** A bond, the bridge over it taking the addressed slave's addressing, and a second bridge over a NIC. */
  bondBridges(bond: BondSpec, main: PortedBridge, back: PortedBridge, files: BackendInputs): BackendRender;
  /** A bridge with no port (or over a NIC on no other network), with its own address and MAC. */
  internalBridge(spec: InternalBridge, files: BackendInputs): BackendRender;
  /** The MAC the backend's configuration gives an interface; null when it gives none. */
  configuredMac(name: string, files: BackendInputs): string | null;
  /** Recipe shadow-bridge: the NIC renamed s<nic> at boot, a bridge with the NIC's name over it. */
  shadowBridge(s: ShadowRename, files: BackendInputs): BackendRender;
  /** Recipe vlan-bridges: a VLAN device and a bridge over it per id, in the era's form. */
  vlanBridges(layout: VlanLayout, era: 'xend' | 'xl', files: BackendInputs): BackendRender;
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

/** The manager's files and version from detection's claims, for BackendInputs.manager. */
export function managerOf(claims: readonly ManagerClaim[], backend: Backend): BackendInputs['manager'] {
  const claim = claims.find((c) => c.backend === backend);
  return claim ? { files: claim.files ?? [], version: claim.version ?? null } : undefined;
}

/** A construct this backend cannot write: refused (exit 2) before anything is written, never written wrong. */
export function cannotExpress(backend: Backend, what: string): never {
  throw new InputError('error.backendRecipeUnsupported', { backend, what });
}

/** A recipe (or a form of one) this backend cannot express: refused, never written wrong. */
export const unsupportedBy = (backend: Backend, what: string) => (): never => {
  throw new InputError('error.backendRecipeUnsupported', { backend, what });
};

/** A manager whose configuration is not ours to write: single-bridge refused with its snippet, the rest refused. */
export function refusingBackend(id: NetworkBackend['id'], portedBridge: NetworkBackend['portedBridge']): NetworkBackend {
  return {
    id,
    readsFilesOnlyAtBoot: false,
    portedBridge,
    bondBridges: unsupportedBy(id, 'bond-bridge'),
    internalBridge: unsupportedBy(id, 'internal-dummy'),
    configuredMac: () => null,
    shadowBridge: unsupportedBy(id, 'shadow-bridge'),
    vlanBridges: unsupportedBy(id, 'vlan-bridges'),
  };
}
