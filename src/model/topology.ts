// The desired host, declaratively (netplan's idea: one description, several renderers). Every
// recipe produces one; the parts a recipe does not use stay empty, so renderers are shared.
import type { Backend, Profile } from './host.js';

export interface BridgeSpec {
  name: string;
  /**
   * The port the bridge is built over and whose addressing it takes over: a NIC, a bond or a
   * dummy. null for a bridge with no port (internal-only, like libvirt's isolated networks).
   */
  nic: string | null;
  /** Always off with forward delay 0: STP with the default 15 s delay drops traffic ~30 s. */
  stp: false;
  forwardDelay: 0;
  antispoof: boolean;
  /** An address the bridge itself carries (internal bridges: dom0's side of the segment). */
  address?: { ip: string; prefix: number } | null;
}

export interface BondSpec {
  name: string;
  slaves: string[];
  /** Kernel bonding mode name (balance-rr, active-backup, …). */
  mode: string;
  miimon: number;
}

export interface DummySpec {
  name: string;
  mac: string;
}

export interface VifMove {
  guest: string;
  /** dom0 path of the definition and its kind. */
  path: string;
  kind: 'xm' | 'libvirt-xml';
  index: number;
  /** The bridge the vif is on now; null when the vif is added by this plan. */
  from: string | null;
  to: string;
  /** A MAC to write: new for vifs that had none (or the user's choice), null to keep. */
  mac: string | null;
  /** True when the vif does not exist yet: a new interface appended to the definition. */
  add?: boolean;
}

/** A libvirt network to define and start (seed 000 lines 139–199, 421–470). */
export interface LibvirtNetworkSpec {
  name: string;
  bridge: string;
  address: { ip: string; prefix: number };
  /** null: no <forward> (isolated); 'route' with the outgoing device; 'nat'. */
  forward: { mode: 'route' | 'nat'; dev: string | null } | null;
  autostart: boolean;
  /**
   * false: `<dns enable='no'/>` — with no <dhcp> either, libvirt starts no dnsmasq on the network,
   * so nothing answers DNS/DHCP there (internal-l2 on xl, in place of seed 000 lines 149–153).
   * Absent: libvirt's default (DNS served by dnsmasq).
   */
  dns?: boolean;
}

export interface Sysctl { key: string; value: string }

/** Policy routing (seed 000 lines 470–533): rt_tables entries, routes and rules in dom0. */
export interface RoutingSpec {
  tables: { id: number; name: string }[];
  /** `ip route add …` argument lists, e.g. ["192.168.0.0/24", "dev", "eth1", "table", "lanside"]. */
  routes: string[][];
  /** `ip rule add …` argument lists. */
  rules: string[][];
}

/** Something the admin does elsewhere (inside a guest, on the upstream router): shown, not run. */
export interface Instruction {
  key: string;
  params: Record<string, string | number>;
  /** A file to place elsewhere (e.g. the guest's route-eth1), shown verbatim. */
  file?: { path: string; text: string };
}

export interface Topology {
  recipe: string;
  profile: Profile;
  backend: Backend;
  /** The first bridge is the main (LAN) bridge when the recipe has one. */
  bridges: BridgeSpec[];
  bonds: BondSpec[];
  dummies: DummySpec[];
  vifMoves: VifMove[];
  libvirtDefine: LibvirtNetworkSpec[];
  /** libvirt networks to stop and take out of autostart (seed 000 lines 80–81). */
  libvirtDisable: string[];
  sysctls: Sysctl[];
  routing: RoutingSpec | null;
  instructions: Instruction[];
  /** The bridge guests leave (libvirt's NAT bridge). */
  sourceBridge: string;
}

/** A Topology with nothing in it yet: recipes fill what they use. */
export function emptyTopology(recipe: string, profile: Profile, backend: Backend, sourceBridge: string): Topology {
  return {
    recipe, profile, backend, bridges: [], bonds: [], dummies: [], vifMoves: [], libvirtDefine: [],
    libvirtDisable: [], sysctls: [], routing: null, instructions: [], sourceBridge,
  };
}

/** A bridge over a port (NIC, bond or dummy) whose addressing it takes over. */
export type PortedBridge = BridgeSpec & { nic: string };

/** The main bridge of a recipe that builds one over a port (single-bridge's xenbr0). */
export function mainBridge(topology: Topology): PortedBridge {
  const bridge = topology.bridges[0];
  if (!bridge || bridge.nic === null) throw new Error(`recipe ${topology.recipe}: no main bridge over a port`);
  return bridge as PortedBridge;
}
