// The real systemd-networkd (Debian's systemd 252, /lib/systemd/systemd-networkd) judging the
// files a root holds: started inside `unshare -n -m` — a network namespace of its own, so only its
// links exist, and a mount namespace in which the root's /etc/systemd/network is bind-mounted over
// the machine's, /run is a fresh tmpfs (no bus, no udev socket, no state of the machine's) and
// /sys a read-only sysfs of the new namespace (networkd then takes links as initialised: no udev).
// The NIC is one end of a veth pair whose other end is up, so it has carrier. The script refuses
// to run in the machine's own namespace; networkd is stopped by its PID, the namespaces vanish
// with the processes.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { tempDir } from './roots.js';

export const NETWORKD = '/lib/systemd/systemd-networkd';

/** Why the real networkd cannot run here, or null. */
export function missingNetworkd(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (unshare -n -m; CI runs as root)';
  if (!fs.existsSync(NETWORKD)) return `${NETWORKD} is not there (package systemd)`;
  if (spawnSync('id', ['systemd-network']).status !== 0) return 'no systemd-network user (package systemd)';
  return spawnSync('unshare', ['-n', '-m', 'true']).status === 0 ? null : 'unshare -n -m is not permitted here';
}

export interface KernelState {
  /** `ip -j addr` of every link but lo and the veth peer. */
  links: { ifname: string; master?: string; address: string; linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> }; addr_info: { local: string; prefixlen: number; family: string; scope: string }[]; mtu: number }[];
  routes: { dst: string; gateway?: string; dev: string }[];
  log: string;
}

/**
 * networkd over `dir` (a root's etc/systemd/network) with one NIC `nic` (MAC `mac`): the links,
 * addresses and IPv4 routes once `waitFor` holds (or after ~10 s), and networkd's own log.
 */
export function runNetworkd(dir: string, nic: string, mac: string, waitFor: string): KernelState {
  const out = path.join(tempDir('xnw-networkd-'), 'state');
  // networkd drops to the systemd-network user: the bind-mounted directory must be readable to it.
  fs.chmodSync(dir, 0o755);
  const script = [
    'set -e',
    '[ "$(readlink /proc/self/ns/net)" != "$(readlink /proc/1/ns/net)" ] || { echo "refusing: the machine\'s own network namespace" >&2; exit 99; }',
    'mount --make-rprivate /',
    'mount -t tmpfs tmpfs /run',
    'mkdir -p /run/systemd/netif && chown systemd-network:systemd-network /run/systemd/netif',
    'mount -t sysfs -o ro sysfs /sys',
    `mount --bind "${dir}" /etc/systemd/network`,
    'ip link set lo up',
    `ip link add "${nic}" address ${mac} type veth peer name xnwpeer`,
    'ip link set xnwpeer up',
    `${NETWORKD} >"${out}.log" 2>&1 & pid=$!`,
    // networkd is done when the awaited state shows (a bridge with its port and address) or ~10 s pass.
    `for i in $(seq 1 50); do ${waitFor} && break; sleep 0.2; done`,
    `ip -j -d addr >"${out}.addr"; ip -j -4 route >"${out}.route"`,
    'kill "$pid"; wait "$pid" || true',
  ].join('\n');
  const r = spawnSync('unshare', ['-n', '-m', 'sh', '-c', script], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`networkd namespace run failed (${r.status}): ${r.stderr}`);
  const links = (JSON.parse(fs.readFileSync(`${out}.addr`, 'utf8')) as KernelState['links']).filter((l) => l.ifname !== 'lo' && l.ifname !== 'xnwpeer');
  return { links, routes: JSON.parse(fs.readFileSync(`${out}.route`, 'utf8')), log: fs.readFileSync(`${out}.log`, 'utf8') };
}
