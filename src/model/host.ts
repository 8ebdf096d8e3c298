// What detection found on a dom0: the facts every recipe and renderer decides from.
// Paths are dom0 paths ("/etc/xen/centos51u"), never the --root path.

export type Profile = 'xend' | 'xl';
/**
 * The network manager that brings dom0's network up at boot. netifrc (Gentoo) and nixos are
 * detected to be named in a refusal: their configuration is not ours to write.
 */
export type Backend =
  | 'ifcfg' | 'ifupdown' | 'ifupdown-ng' | 'netplan' | 'networkmanager' | 'networkd' | 'wicked'
  | 'netifrc' | 'nixos' | 'unknown';

/** One piece of evidence, as a message key of locales/*.json and its parameters. */
export interface Evidence {
  key: string;
  params?: Record<string, string | number>;
}

/** What one manager's files and units say about a root. */
export interface ManagerClaim {
  backend: Exclude<Backend, 'unknown'>;
  /**
   * Runs at boot: an enabled unit under etc/systemd/system/*.wants/, an init script in a
   * runlevel, or the only manager the distribution ships. A manager whose files exist but which
   * does not run is reported, never chosen.
   */
  active: boolean;
  /** NICs its configuration names (and so would bring up at boot). */
  nics: string[];
  /** Why: the unit, file and line that show it, for detect's output. */
  evidence: Evidence[];
  /** The configuration files it reads at boot, in its order (the backend edits among these). */
  files?: string[];
  /** Its version, where the root's package database or library directory says (keyfile keys depend on it). */
  version?: string;
}

/** /etc/os-release of the root (os-release(5)). */
export interface Distribution {
  id: string;
  /** ID_LIKE, split: "rhel centos fedora" on Rocky. */
  like: string[];
  versionId: string | null;
  prettyName: string;
}

export interface Link {
  name: string;
  mac: string | null;
  /** Bridge this link is a port of, if any. */
  master: string | null;
  isBridge: boolean;
  /** Ports, when the link is a bridge. */
  ports: string[];
}

export interface Route {
  dev: string;
  /** "0.0.0.0/0" for the default route. */
  dst: string;
  gateway: string | null;
}

/** One `vif` entry (xm/xl) or `<interface>` (libvirt XML) of a guest. */
export interface Vif {
  /** Position among the guest's vifs in this definition (0-based). */
  index: number;
  mac: string | null;
  bridge: string | null;
  /** libvirt `<interface type='network'>`: the network's name; `bridge` is then that network's bridge. */
  network?: string | null;
  /** Every key of the vif spec, in order, as written (xm/xl), or the interface's attributes (XML). */
  keys: Record<string, string>;
}

export interface GuestDefinition {
  kind: 'xm' | 'libvirt-xml';
  path: string;
  vifs: Vif[];
}

export interface Guest {
  name: string;
  definitions: GuestDefinition[];
}

export interface LibvirtNetwork {
  name: string;
  path: string;
  bridge: string | null;
  forwardMode: string | null;
  autostart: boolean;
  /** Dom0 path of the autostart symlink, when autostart is on. */
  autostartPath: string | null;
  /** Running now, as libvirt says (live runs only; unknown offline). */
  active?: boolean;
  /** Domains whose interfaces use this network, as libvirt says (live runs only). */
  usedBy?: string[];
  /** What the files said of autostart, when libvirt says otherwise (live runs only). */
  autostartFiles?: boolean;
}

/**
 * A file in a guest-config directory that looks like a guest definition but that the wizard
 * cannot read whole (xm configs are Python: computed names, vifs set in `if` blocks, …).
 * Reported by detect; nothing it may depend on is destroyed unless the admin excludes it.
 */
export interface UnparsedGuest {
  path: string;
  /** 1-based line of what could not be read. */
  line: number;
  why: 'nameNotLiteral' | 'noName' | 'vifNotLiteral' | 'vifInPython';
}

export interface HostFacts {
  root: string;
  profile: Profile;
  backend: Backend;
  /** /etc/os-release, when the root has one. */
  distribution: Distribution | null;
  /** Every network manager found on the root, active or not, with its evidence. */
  managers: ManagerClaim[];
  /** Why `backend` was chosen: the rule, then the manager's evidence (message keys). */
  backendWhy: Evidence[];
  /** Two or more active managers name the NIC: answer `backend` decides. Empty otherwise. */
  backendConflict: Backend[];
  /** Where links and routes were read from. */
  /** Where links and routes were read from: the kernel's files, `ip -json`, or the network config. */
  linkSource: 'sysfs' | 'ip-json' | 'config' | 'none';
  links: Link[];
  routes: Route[];
  defaultRouteNic: string | null;
  /** The network-script currently live in xend-config.sxp (xend profile), e.g. "network-bridge". */
  networkScript: string | null;
  libvirtNetworks: LibvirtNetwork[];
  guests: Guest[];
  /** Every MAC seen on the host: links, guest configs, libvirt XML (lower case). */
  macsInUse: string[];
  /** Guest definitions found but not read whole (see UnparsedGuest). */
  unparsedGuests?: UnparsedGuest[];
}

export function nics(host: HostFacts): Link[] {
  // A VLAN device (eth0.10, or iproute2's eth0.10@eth0) is never a NIC to offer: it hangs off one.
  return host.links.filter((l) => !l.isBridge && l.name !== 'lo' && !/^(vif|tap|virbr|veth)/.test(l.name) && !/\.\d+$|@/.test(l.name));
}

export function bridges(host: HostFacts): Link[] {
  return host.links.filter((l) => l.isBridge);
}

/** The host's guests by name, the first of a name winning as Array.find would: one lookup per vif, not a scan. */
export function guestsByName(host: HostFacts): Map<string, Guest> {
  return firstByName(host.guests);
}

/** Items by name, the first of each name (what find() by name would give). */
export function firstByName<T extends { name: string }>(items: readonly T[]): Map<string, T> {
  const byName = new Map<string, T>();
  for (const item of items) if (!byName.has(item.name)) byName.set(item.name, item);
  return byName;
}
