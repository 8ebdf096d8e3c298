// The desired host, declaratively (netplan's idea: one description, several renderers).
import type { Backend, Profile } from './host.js';

export interface BridgeSpec {
  name: string;
  /** The NIC that becomes its port and whose addresses and routes it takes over. */
  nic: string;
  /** Always off with forward delay 0: STP with the default 15 s delay drops traffic ~30 s. */
  stp: false;
  forwardDelay: 0;
  antispoof: boolean;
}

export interface VifMove {
  guest: string;
  /** dom0 path of the definition and its kind. */
  path: string;
  kind: 'xm' | 'libvirt-xml';
  index: number;
  from: string | null;
  to: string;
  /** A MAC to write: new for vifs that had none (or the user's choice), null to keep. */
  mac: string | null;
}

export interface Topology {
  recipe: string;
  profile: Profile;
  backend: Backend;
  bridge: BridgeSpec;
  vifMoves: VifMove[];
  /** libvirt networks to stop and take out of autostart (seed 000 lines 80–81). */
  libvirtDisable: string[];
  /** The bridge guests leave (libvirt's NAT bridge). */
  sourceBridge: string;
}
