// routed-lan's dom0 scripts. xend (seed 000 lines 446–479): network-bridge-custom with do_bridge,
// set_route /etc/xen/route.conf and rp_filter on the LAN NIC, plus network-bridge-util with
// set_route(). xl: a libvirt network hook that runs the same set_route when the routed network
// starts — the moment its bridge exists (seed 000 line 475: boot-time route files run too early).
import type { FileChange, ReadFile } from '../../model/plan.js';
import { CUSTOM_SCRIPT, SCRIPTS_DIR } from '../../render/xend.js';
import { ROUTE_CONF, SET_ROUTE_FUNCTIONS } from '../../render/routing.js';

export const UTIL_SCRIPT = `${SCRIPTS_DIR}/network-bridge-util`;
/** libvirt ≥ 6.5 runs every executable in hooks/network.d (found when libvirtd starts). */
export const NETWORK_HOOK = '/etc/libvirt/hooks/network.d/50-xen-net-wizard-routes';

export interface RoutedWrapper { bridge: string; nic: string; lanNic: string }

/**
 * The author's network-bridge-custom set is not in the text (seed 000 line 408: the link to it is
 * cut short); this is what lines 450–479 describe: do_bridge exactly as printed (450–453, bridge=
 * xenbr0 on RHEL/CentOS 5.x, line 455), "# Additional routing configuration" (461) with
 * set_route (467) and the rp_filter line (479) on start; on stop the routes go before the bridge.
 * disable_ipfwd (457–459) is not called: this layout needs ip_forward=1.
 */
export function renderRoutedWrapper(w: RoutedWrapper): string {
  return `#!/bin/sh
# network-bridge-custom for recipe routed-lan (seed 000 lines 446–479), by xen-net-wizard.
dir=$(dirname $0)
. \${dir}/network-bridge-util

function do_bridge () {
    ## This is the very heart of network-bridge script.
    \${dir}/network-bridge "$@" bridge=${w.bridge} netdev=${w.nic} antispoof=no
}

case "$1" in
    start)
        do_bridge "$@"
        # Additional routing configuration
        set_route ${ROUTE_CONF}
        sysctl -w net.ipv4.conf.${w.lanNic}.rp_filter=1 &>/dev/null
        ;;
    stop)
        unset_route ${ROUTE_CONF}
        do_bridge "$@"
        ;;
    *)
        do_bridge "$@"
        ;;
esac
`;
}

export function renderUtilScript(): string {
  return `# network-bridge-util: shell functions for network-bridge-custom (seed 000 lines 467–473),
# by xen-net-wizard. set_route FILE / unset_route FILE apply / remove the lines of route.conf.
${SET_ROUTE_FUNCTIONS}`;
}

/**
 * libvirt calls network hooks with: network name, operation, sub-operation ("virnet0 started
 * begin -" once the bridge is up, "virnet0 stopped end -" after it is gone).
 */
export function renderNetworkHook(network: string): string {
  return `#!/bin/sh
# libvirt network hook by xen-net-wizard (recipe routed-lan): dom0's policy routing of seed 000
# lines 463–514, set when libvirt network ${network} has started (its bridge exists only then).
${SET_ROUTE_FUNCTIONS}
[ "$1" = "${network}" ] || exit 0
case "$2" in
    started) set_route ${ROUTE_CONF} ;;
    stopped) unset_route ${ROUTE_CONF} ;;
esac
exit 0
`;
}

/** A file with exactly this text and mode, or null when it is already so. */
export function wantFile(path: string, text: string, mode: string, read: ReadFile): FileChange | null {
  const file = read(path);
  if (file && file.text === text && file.mode === mode) return null;
  return { path, mode, before: file?.text ?? null, after: text };
}

export { CUSTOM_SCRIPT };
