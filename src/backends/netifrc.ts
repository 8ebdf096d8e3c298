// netifrc (Gentoo's /etc/conf.d/net, read by the net.* OpenRC scripts): not written by
// xen-net-wizard — the file is bash, sourced, often hand-shaped with arrays and functions. The
// backend refuses (exit 2), naming the manager, with the exact lines to change by hand: the NIC's
// per-interface variables (config_, routes_, …) moved to the bridge, the NIC's config "null", and
// the bridge's own (netifrc's net.example: bridge_<br>, bridge_<sysfs knob>_<br>).
import { InputError } from '../errors.js';
import type { PortedBridge } from '../model/topology.js';
import type { BackendInputs, BackendRender } from './types.js';
import { refusingBackend } from './types.js';
import { shellAssignments } from '../parse/shellAssignments.js';

export const CONF_D_NET = '/etc/conf.d/net';

/** Variables that describe the link itself and stay with the NIC. */
const STAYS = /^(mac|mtu|ethtool\w*)_/;

export function netifrcSnippet(bridge: PortedBridge, text: string, mac: string | null): string[] {
  const suffix = `_${bridge.nic}`;
  const mine = shellAssignments(text).filter((a) => a.name.endsWith(suffix));
  const quote = (v: string) => (v.startsWith('(') ? v : `"${v}"`);
  const moved = mine.filter((a) => !STAYS.test(a.name));
  const config = mine.find((a) => a.name === `config${suffix}`)?.value ?? '';
  const mtu = mine.find((a) => a.name === `mtu${suffix}`)?.value;
  const dhcp = /\bdhcp\b/.test(config);
  return [
    `config${suffix}="null"`,
    `bridge_${bridge.name}="${bridge.nic}"`,
    ...moved.filter((a) => a.name !== `config${suffix}` || a.value !== 'null').map((a) => `${a.name.slice(0, -suffix.length)}_${bridge.name}=${quote(a.value)}`),
    ...(mtu ? [`mtu_${bridge.name}="${mtu}"`] : []),
    ...(dhcp && mac ? [`mac_${bridge.name}="${mac.toLowerCase()}"`] : []),
    // STP on with the default 15 s forward delay drops all traffic ~30 s.
    `bridge_stp_state_${bridge.name}="0"`,
    `bridge_forward_delay_${bridge.name}="0"`,
  ];
}

export function refuseNetifrc(bridge: PortedBridge, { read, linkMac }: BackendInputs): BackendRender {
  const text = read(CONF_D_NET)?.text ?? '';
  const snippet = netifrcSnippet(bridge, text, linkMac?.(bridge.nic) ?? null).map((l) => `    ${l}`).join('\n');
  const commands = [
    `ln -s net.lo /etc/init.d/net.${bridge.name}`,
    `rc-update add net.${bridge.name} default`,
    `rc-update del net.${bridge.nic} default`,
  ].map((l) => `    ${l}`).join('\n');
  throw new InputError('error.netifrcByHand', { file: CONF_D_NET, nic: bridge.nic, bridge: bridge.name, snippet, commands });
}

export const netifrc = refusingBackend('netifrc', refuseNetifrc);
