// The persistence seam (netplan's one model, several renderers): a network backend turns the
// Topology's bridges and bonds, with the files it reads, into file changes and the commands that
// bring them up and down. A recipe never knows which backend persists it; a backend never knows
// which recipe asked. Adding one: its file, implementing NetworkBackend, and a line in registry.ts.
import type { Backend } from '../model/host.js';
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
}

export interface BackendRender {
  files: FileChange[];
  /** Commands around the edit, with their undo: take the NIC down before, bring the bridge up after. */
  commands: Pick<Step, 'argv' | 'undo' | 'phase' | 'id'>[];
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
}

export interface NetworkBackend {
  id: Exclude<Backend, 'unknown'>;
  /** A bridge over a port (a NIC) that takes over the port's addressing (single-bridge's xenbr0). */
  portedBridge(bridge: PortedBridge, files: BackendInputs): BackendRender;
  /** A bond, the bridge over it taking the addressed slave's addressing, and a second bridge over a NIC. */
  bondBridges(bond: BondSpec, main: PortedBridge, back: PortedBridge, files: BackendInputs): BackendRender;
  /** A bridge with no port (or over a NIC on no other network), with its own address and MAC. */
  internalBridge(spec: InternalBridge, files: BackendInputs): BackendRender;
  /** The MAC the backend's configuration gives an interface; null when it gives none. */
  configuredMac(name: string, files: BackendInputs): string | null;
}
