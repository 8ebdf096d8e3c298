// Recipe shadow-bridge, xend era (seed 001): the init script that renames the NIC s<nic> and
// builds a bridge with the NIC's name (lines 10–129), its sysconfig (line 133), the network script
// that only enslaves vif0.N to that bridge (lines 149–312) and the two xend-config.sxp lines (318–319).
//
// The init script is the seed's, made to run on the xend dom0s this tool targets (CentOS/RHEL 5,
// Mandriva, or any Linux with iproute2 and bridge-utils). Every changed line is marked
// "xen-net-wizard:" in the script itself; the docs page lists them with the seed's line numbers.
import type { FileChange, ReadFile } from '../../model/plan.js';
import { getDirective, setDirective } from '../../parse/sxp.js';
import { SCRIPTS_DIR, XEND_CONFIG } from '../../render/xend.js';

export const INIT_SCRIPT = '/etc/init.d/bridge-shadow';
export const SYSCONFIG = '/etc/sysconfig/bridge-shadow';
export const ADDITIONAL_NAME = 'network-bridge-additional';
export const ADDITIONAL_SCRIPT = `${SCRIPTS_DIR}/${ADDITIONAL_NAME}`;

/** seed 001 lines 10–129, with the deviations marked in place. */
export const INIT_SCRIPT_TEXT = `#!/bin/bash
# chkconfig: 2345 05 89
# description: Shadow Layer 2 Bridge
#

# Source function library.
# xen-net-wizard: sourced only where it exists (seed 001 line 16; Red Hat and Mandriva have it).
[ -f /etc/init.d/functions ] && . /etc/init.d/functions
# xen-net-wizard: gprintf is Mandriva's (lines 24, 75, 127), usleep comes with initscripts
# (line 59), success/failure with the function library: defined only where missing.
type gprintf >/dev/null 2>&1 || gprintf() { printf "$@"; }
type usleep >/dev/null 2>&1 || usleep() { sleep "$(($1 / 1000000)).$(printf %06d $(($1 % 1000000)))"; }
type success >/dev/null 2>&1 || success() { printf " [  OK  ]"; }
type failure >/dev/null 2>&1 || failure() { printf " [FAILED] %s" "$1"; }

INTERFACES=""
[ -f /etc/sysconfig/bridge-shadow ] && . /etc/sysconfig/bridge-shadow

PATH=$PATH:/sbin:/usr/sbin:/usr/local/sbin

start() {
    gprintf "Starting Shadow Layer 2 Bridge: "

    msg=""

    for i in $INTERFACES; do
            # load aliased drivers
            # xen-net-wizard: modprobe the alias (what ifconfig's ioctl made the kernel do, line 30)
            ip link show "$i" >/dev/null 2>&1 || modprobe -q "$i"

            # link down interface
            ip link set "$i" down
            ip addr flush dev "$i" 2>/dev/null

            # swap name
            ip link set "$i" name "s$i"

            # add bridge
            brctl addbr "$i"

            # add interface to bridge
            brctl addif "$i" "s$i"

            # link up bridge
            ip link set "$i" up

            # link up interface
            # xen-net-wizard: ip instead of ifconfig (line 49); the port has no address (line 34)
            ip link set "s$i" up
    done

    # wait for bridge to be in running state
    for i in $INTERFACES; do
            try=0
            while [ "$try" -lt 50 ]; do
                    # xen-net-wizard: the kernel's operstate instead of ifconfig's RUNNING flag (line 56)
                    if grep -Eqx 'up|unknown' "/sys/class/net/$i/operstate" 2>/dev/null; then
                            break
                    else
                            usleep 100000
                    fi
                    try=$(expr $try + 1)
            done
    done

    if [ -n "$msg" ];then
            failure "$msg"
    else
            success
    fi

    echo
}

stop() {
    gprintf "Shutting down Shadow Layer 2 Bridge: "

    msg=""

    for i in $INTERFACES; do
            # link down interface
            ip link set "s$i" down
            ip addr flush dev "s$i" 2>/dev/null

            # link down bridge
            ip link set "$i" down
            ip addr flush dev "$i" 2>/dev/null

            # delete interface from bridge
            brctl delif "$i" "s$i"

            # delete bridge
            brctl delbr "$i"

            # swap name
            ip link set "s$i" name "$i"
    done

    if [ -n "$msg" ];then
            failure "$msg"
    else
            success
    fi

    echo
}

status() {
    brctl show
}

case "$1" in
  start)
        start
        ;;
  stop)
        stop
        ;;
  restart)
        stop
        sleep 1
        start
        ;;
  status)
        status
        ;;
  *)
        # xen-net-wizard: "star" corrected to "start" (line 127)
        gprintf "Usage: %s {start|stop|restart|status}\\n" "$0"
        exit 1
esac
`;

/** seed 001 lines 149–312, byte for byte (run by xend on a Xen 3.x dom0, where ifconfig exists). */
export const ADDITIONAL_SCRIPT_TEXT = `#!/bin/sh
#============================================================================
# Custermized Xen network start/stop script.
# Xend calls a network script when it starts.
# The script name to use is defined in /etc/xen/xend-config.sxp
# in the network-script field.
#
# This script just adds the virtual device to the existent bridge,
# doesn't set IP addresses.
# Setting IP addresses or
#
# Usage:
#
# network-bridge-additional (start|stop|status) {VAR=VAL}*
#
# Vars:
#
# vifnum     Virtual device number to use (default 0). Numbers >=8
#            require the netback driver to have nloopbacks set to a
#            higher value than its default of 8.
# bridge     The bridge to use (default xenbr\${vifnum}).
# antispoof  Whether to use iptables to prevent spoofing (default no).
#
# Internal Vars:
# vif0="vif0.\${vifnum}"
#
# start:
# Enslaves vif0 to bridge
#
# stop:
# Removes vif0 from the bridge
#
# status:
# Print addresses, interfaces, routes
#
#============================================================================


dir=$(dirname "$0")
. "$dir/xen-script-common.sh"
. "$dir/xen-network-common.sh"

findCommand "$@"
evalVariables "$@"

vifnum=\${vifnum:-$(ip route list | awk '/^default / { print $NF }' | sed 's/^[^0-9]*//')}
vifnum=\${vifnum:-0}
bridge=\${bridge:-xenbr\${vifnum}}
antispoof=\${antispoof:-no}

vif0="vif0.\${vifnum}"


##
# link_exists interface
#
# Returns 0 if the interface named exists (whether up or down), 1 otherwise.
#
link_exists()
{
    if ip link show "$1" >/dev/null 2>/dev/null
    then
        return 0
    else
        return 1
    fi
}

# Set the default forwarding policy for $dev to drop.
# Allow forwarding to the bridge.
antispoofing () {
    iptables -P FORWARD DROP
    iptables -F FORWARD
    iptables -A FORWARD -m physdev --physdev-in \${vif0} -j ACCEPT
}

# Usage: show_status bridge
# Print ifconfig and routes.
show_status () {
    local bridge=$1

    echo '============================================================'
    ip addr show \${bridge}
    echo ' '
    brctl show \${bridge}
    echo ' '
    ip route list
    echo ' '
    route -n
    echo '============================================================'
}

op_start () {
    if [ "\${bridge}" = "null" ] ; then
        return
    fi
    if ! link_exists "$bridge"; then
        return
    fi

    # FIXME: Check wheter the device is already up.

    ip link set \${bridge} up
    add_to_bridge2 \${bridge} \${vif0}

    if [ \${antispoof} = 'yes' ] ; then
        antispoofing
    fi
}

op_stop () {
    if [ "\${bridge}" = "null" ]; then
        return
    fi
    if ! link_exists "$bridge"; then
        return
    fi

    ip link set \${vif0} down
    ip addr flush \${vif0}

    brctl delif \${bridge} \${vif0}
}

# adds $dev to $bridge but waits for $dev to be in running state first
add_to_bridge2() {
    local bridge=$1
    local dev=$2
    local maxtries=10

    echo -n "Waiting for \${dev} to negotiate link."
    ip link set \${dev} up
    for i in \`seq \${maxtries}\` ; do
        if ifconfig \${dev} | grep -q RUNNING ; then
            break
        else
            echo -n '.'
            sleep 1
        fi
    done

    if [ \${i} -eq \${maxtries} ] ; then echo '(link isnt in running state)' ; fi

    add_to_bridge \${bridge} \${dev}
}

case "$command" in
    start)
        op_start
        ;;

    stop)
        op_stop
        ;;

    status)
        show_status \${bridge}
        ;;

    *)
        echo "Unknown command: $command" >&2
        echo 'Valid commands are: start, stop, status' >&2
        exit 1
esac
`;

/** seed 001 line 133: the NIC(s) the init script shadows. */
export function renderSysconfig(nic: string): string {
  return `INTERFACES="${nic}"\n`;
}

function fileChange(path: string, mode: string, after: string, read: ReadFile): FileChange | null {
  const existing = read(path);
  if (existing && existing.text === after && existing.mode === mode) return null;
  return { path, mode, before: existing?.text ?? null, after };
}

/** The three files of the seed, each only when it differs (idempotent). */
export function renderShadowXendFiles(nic: string, read: ReadFile): FileChange[] {
  return [
    fileChange(INIT_SCRIPT, '0755', INIT_SCRIPT_TEXT, read),
    fileChange(SYSCONFIG, '0644', renderSysconfig(nic), read),
    // "root:root 755" as for every script xend runs (seed 000 line 70).
    fileChange(ADDITIONAL_SCRIPT, '0755', ADDITIONAL_SCRIPT_TEXT, read),
  ].filter((c): c is FileChange => c !== null);
}

/** The network-script value of seed 001 line 318 (antispoof=yes only when answered so, line 197). */
export function networkScriptValue(bridge: string, antispoof: boolean): string {
  return `${ADDITIONAL_NAME} bridge=${bridge}${antispoof ? ' antispoof=yes' : ''}`;
}

/** seed 001 lines 318–319 in xend-config.sxp: the live lines set, commented examples untouched. */
export function renderShadowXendConfig(sxp: { text: string; mode: string } | null, bridge: string, antispoof: boolean): FileChange | null {
  if (!sxp) return null;
  const want: [string, string][] = [['network-script', networkScriptValue(bridge, antispoof)], ['vif-script', `vif-bridge bridge=${bridge}`]];
  let after = sxp.text;
  for (const [name, value] of want) {
    if (getDirective(after, XEND_CONFIG, name)?.value !== value) after = setDirective(after, XEND_CONFIG, name, value);
  }
  return after === sxp.text ? null : { path: XEND_CONFIG, mode: sxp.mode, before: sxp.text, after };
}
