// RHEL bridged networking (seed 003): the NIC gets BRIDGE=, ifcfg-<bridge> gets TYPE=Bridge and
// the NIC's addressing. NM_CONTROLLED=no keeps NetworkManager out (seed 003 line 22).
import { type IfcfgFile, getVar, removeVar, setVar } from '../parse/ifcfg.js';
import type { BridgeMigration } from './ifupdownBridge.js';

/** Addressing moves to the bridge; link settings (HWADDR, MTU, ONBOOT, NAME, UUID, …) stay. */
export const ADDRESSING = /^(IPADDR\d*|NETMASK\d*|PREFIX\d*|GATEWAY\d*|BROADCAST|NETWORK|DNS\d+|DOMAIN|PEERDNS|DEFROUTE|METRIC|IPV4_FAILURE_FATAL|IPV6INIT|IPV6ADDR|IPV6ADDR_SECONDARIES|IPV6_DEFAULTGW|IPV6_AUTOCONF|IPV6_FAILURE_FATAL|IPV6_DEFROUTE|DHCP_HOSTNAME|PERSISTENT_DHCLIENT)$/;

export function renderIfcfgMigration(nic: IfcfgFile, m: BridgeMigration): { nicAfter: string; bridgeText: string } {
  const moved = nic.vars.filter((v) => ADDRESSING.test(v.key));
  let nicAfter = nic.text;
  for (const key of new Set(moved.map((v) => v.key))) nicAfter = removeVar(nicAfter, nic.file, key);
  const bootproto = getVar(nic, 'BOOTPROTO') ?? 'none';
  nicAfter = setVar(nicAfter, nic.file, 'BOOTPROTO', 'none');
  nicAfter = setVar(nicAfter, nic.file, 'BRIDGE', m.bridge);
  const mtu = getVar(nic, 'MTU');
  const bridge = [
    `DEVICE=${m.bridge}`,
    // Case matters: "Bridge" with a capital B (seed 003 line 49).
    'TYPE=Bridge',
    'ONBOOT=yes',
    `BOOTPROTO=${bootproto}`,
    ...moved.map((v) => `${v.key}=${v.quote}${v.value}${v.quote}`),
    ...(mtu ? [`MTU=${mtu}`] : []),
    // seed 003 line 45: no forwarding delay; STP off so ports forward at once.
    'DELAY=0',
    'STP=off',
    'NM_CONTROLLED=no',
  ];
  return { nicAfter, bridgeText: bridge.join('\n') + '\n' };
}

export function isIfcfgMigrated(nic: IfcfgFile, bridgeFile: IfcfgFile | undefined, m: BridgeMigration): boolean {
  return getVar(nic, 'BRIDGE') === m.bridge && bridgeFile !== undefined && getVar(bridgeFile, 'TYPE') === 'Bridge';
}
