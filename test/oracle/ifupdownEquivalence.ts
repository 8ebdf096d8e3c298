// The equivalence oracle for ifupdown (issue 12, deliverable 7): the real ifupdown (+ bridge-utils'
// hooks, unpacked into .cache/debs) brings the ORIGINAL interfaces file up in one network
// namespace and the wizard's EDITED file in another, both with the same veth NICs; then the
// kernel states are compared: every address (v4, v6, alias label), route and the MTU and MAC the
// NIC had are on the bridge, the NIC is the bridge's port with nothing of its own, and every other
// link, address and route is unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { overlayDirs, privateMountScript, type Overlay } from '../_helpers/ifupdownNs.js';

export interface Snapshot {
  links: Array<{ ifname: string; mtu: number; address: string; master?: string }>;
  addrs: string[];
  routes: string[];
}

/** Physical-NIC-like names (what gets a veth); aliases and VLANs hang off them. */
export const NIC_NAME = /^(eth|en[a-z]*|em|wlan)\d[\w]*$/;
export const baseName = (name: string) => name.split(/[:.]/)[0];

let overlay: Overlay | null = null;
let seq = 0;

/** One overlay (ifupdown + bridge-utils) per process: each case's files go in /etc/network/cases. */
function theOverlay(): Overlay {
  if (!overlay) {
    overlay = overlayDirs('ifupdown', { before: '', after: '' });
    fs.mkdirSync(path.join(overlay.etc, 'network/cases'), { recursive: true });
    const o = overlay;
    process.once('exit', () => fs.rmSync(o.work, { recursive: true, force: true }));
  }
  return overlay;
}

export function dropOverlay(): void {
  if (overlay) fs.rmSync(overlay.work, { recursive: true, force: true });
  overlay = null;
}

function ip(ns: string, args: string[]): string {
  const r = spawnSync('ip', ['-n', ns, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip -n ${ns} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * `text` brought up by the real `ifup -a` (then `--allow=hotplug`, as udev does at boot) in a new
 * namespace with one veth per NIC in `nics` (same MACs every time); its kernel state.
 */
export function bringUp(text: string, nics: string[]): { snapshot: Snapshot; log: string } {
  const o = theOverlay();
  const id = `${process.pid}-${seq++}`;
  const ns = `xnw-eq-${id}`;
  const file = `/etc/network/cases/${id}`;
  fs.writeFileSync(path.join(o.etc, 'network/cases', id), text);
  const add = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`ip netns add ${ns}: ${add.stderr}`);
  try {
    ip(ns, ['link', 'set', 'lo', 'up']);
    nics.forEach((nic, i) => {
      const mac = (n: number) => `02:00:5e:00:${n.toString(16).padStart(2, '0')}:${(i + 1).toString(16).padStart(2, '0')}`;
      ip(ns, ['link', 'add', nic, 'address', mac(0), 'type', 'veth', 'peer', 'name', `peer${i}`, 'address', mac(1)]);
      ip(ns, ['link', 'set', `peer${i}`, 'up']);
    });
    const body = `ifup -a -i ${file} 2>&1 || true\nifup -a --allow=hotplug -i ${file} 2>&1 || true`;
    const r = spawnSync('ip', ['netns', 'exec', ns, 'unshare', '-m', 'sh', '-c', privateMountScript(o, body)], { encoding: 'utf8', timeout: 60_000 });
    return { snapshot: snapshot(ns), log: String(r.stdout) + String(r.stderr) };
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}

function snapshot(ns: string): Snapshot {
  type Link = { ifname: string; mtu: number; address: string; master?: string; addr_info: Array<{ family: string; local: string; prefixlen: number; label?: string }> };
  const links = JSON.parse(ip(ns, ['-j', 'address', 'show'])) as Link[];
  const addrs: string[] = [];
  for (const l of links) {
    for (const a of l.addr_info) {
      // A link-local address is the kernel's own, derived from the MAC (compared with the MAC).
      if (a.family === 'inet6' && a.local.startsWith('fe80:')) continue;
      addrs.push(`${l.ifname} ${a.family} ${a.local}/${a.prefixlen}${a.label && a.label !== l.ifname ? ` label ${a.label}` : ''}`);
    }
  }
  const routes: string[] = [];
  for (const family of ['-4', '-6']) {
    type Route = { dst: string; gateway?: string; dev?: string; type?: string; metric?: number; scope?: string; prefsrc?: string };
    for (const r of JSON.parse(ip(ns, ['-j', family, 'route', 'show', 'table', 'main'])) as Route[]) {
      if (r.dst.startsWith('fe80:') || r.dst.startsWith('ff00:') || r.type === 'multicast') continue;
      routes.push([family, r.type ?? 'unicast', r.dst, r.gateway ? `via ${r.gateway}` : '', r.dev ? `dev ${r.dev}` : '', r.prefsrc ? `src ${r.prefsrc}` : '', r.metric ? `metric ${r.metric}` : ''].filter(Boolean).join(' '));
    }
  }
  return { links: links.map(({ ifname, mtu, address, master }) => ({ ifname, mtu, address, ...(master ? { master } : {}) })), addrs: addrs.sort(), routes: routes.sort() };
}

/** The differences between the original state with `nic` and the edited one with `bridge` over it; [] when equivalent. */
export function compareMoved(before: Snapshot, after: Snapshot, nic: string, bridge: string): string[] {
  const faults: string[] = [];
  const word = (name: string) => new RegExp(`(^| |dev )${name.replace(/[.]/g, '\\.')}(?=[: ]|$)`, 'g');
  const asNic = (s: string) => s.replace(word(nic), '$1@');
  const asBridge = (s: string) => s.replace(word(bridge), '$1@');
  const same = (what: string, a: string[], b: string[]) => {
    const missing = a.filter((x) => !b.includes(x));
    const extra = b.filter((x) => !a.includes(x));
    if (missing.length) faults.push(`${what} lost: ${missing.join('; ')}`);
    if (extra.length) faults.push(`${what} added: ${extra.join('; ')}`);
  };
  if (after.addrs.some((a) => a.startsWith(`${nic} `))) faults.push(`the port ${nic} kept an address: ${after.addrs.filter((a) => a.startsWith(`${nic} `)).join('; ')}`);
  same('address', before.addrs.map(asNic), after.addrs.map(asBridge));
  same('route', before.routes.map(asNic), after.routes.map(asBridge));
  const was = before.links.find((l) => l.ifname === nic);
  const br = after.links.find((l) => l.ifname === bridge);
  const port = after.links.find((l) => l.ifname === nic);
  if (!was || !br || !port) return [...faults, `links: ${nic} before ${!!was}, ${bridge} after ${!!br}, ${nic} after ${!!port}`];
  if (port.master !== bridge) faults.push(`${nic} is not a port of ${bridge} (master ${port.master ?? 'none'})`);
  if (br.mtu !== was.mtu) faults.push(`MTU: ${nic} had ${was.mtu}, ${bridge} has ${br.mtu}`);
  if (port.mtu !== was.mtu) faults.push(`MTU: ${nic} had ${was.mtu}, as a port ${port.mtu}`);
  if (br.address !== was.address) faults.push(`MAC: ${nic} had ${was.address}, ${bridge} has ${br.address}`);
  const others = (s: Snapshot) => s.links.filter((l) => l.ifname !== nic && l.ifname !== bridge).map((l) => `${l.ifname} mtu ${l.mtu} ${l.address} ${l.master ?? ''}`);
  same('other link', others(before), others(after));
  return faults;
}
