// The Linux bonding driver's modes (bonding.txt, "Bonding Driver Options", mode=), by the names
// ifenslave's bond-mode and ifcfg's BONDING_OPTS both take, and the name of the bond device.
import { InputError } from '../../errors.js';

/** seed 000 line 331: the wrapper switches IP forwarding off after the bridges. */
export const IP_FORWARD = 'net.ipv4.ip_forward';

export const BOND_MODES = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'] as const;

export function checkBondMode(mode: string): string {
  if (!(BOND_MODES as readonly string[]).includes(mode)) {
    throw new InputError('error.bondMode', { value: mode, modes: BOND_MODES.join(', ') });
  }
  return mode;
}

/**
 * The bond device under the bridge guests join: network-bridge-bonding (seed 000 line 328,
 * bridge=bond0 netdev=bond0) gives the bridge the bond's name and renames the bond p<name>,
 * as Xen's network-bridge renames eth0 to peth0. The xl side persists that same layout.
 */
export function bondDevice(bridge: string): string {
  return `p${bridge}`;
}

/**
 * balance-rr sends one flow's frames over both slaves: the switch sees the bridge's (and every
 * guest's) MAC flap between two ports, and frames arrive out of order (bonding.txt: balance-rr
 * needs the switch ports grouped; active-backup needs nothing from the switch).
 */
export function modeWarning(mode: string): boolean {
  return mode === 'balance-rr';
}
