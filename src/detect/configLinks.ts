// When a root has no kernel state to read (no sys/class/net, offline), the NICs and the one with
// the default route are taken from the network configuration itself: ifupdown stanzas and ifcfg files.
import type { Link, Route } from '../model/host.js';
import type { RootFs } from '../system/rootfs.js';
import type { InterfacesFile } from '../parse/interfaces.js';
import { parseIfcfg, getVar } from '../parse/ifcfg.js';
import { ifcfgFiles } from './profile.js';
import { normalizeMac } from '../mac.js';
import { parseOnce } from './hostFiles.js';

export function linksFromConfig(fs: RootFs, interfaces: InterfacesFile[]): { links: Link[]; routes: Route[] } {
  const links = new Map<string, Link>();
  const routes: Route[] = [];
  const add = (name: string, mac: string | null, isBridge: boolean, ports: string[]) => {
    if (name === 'lo' || links.has(name)) return;
    links.set(name, { name, mac, master: null, isBridge, ports });
  };
  for (const file of interfaces) {
    for (const s of file.ifaces) {
      const opt = (k: string) => s.options.find((o) => o.key === k || o.key === k.replace('_', '-'))?.value;
      const ports = (opt('bridge_ports') ?? '').split(/\s+/).filter((p) => p && p !== 'none');
      add(s.name, normalizeMac(opt('hwaddress')?.replace(/^ether\s+/, '') ?? ''), ports.length > 0, ports);
      const gateway = opt('gateway');
      if (gateway && s.family === 'inet') routes.push({ dev: s.name, dst: '0.0.0.0/0', gateway });
    }
  }
  for (const [device, file] of ifcfgFiles(fs)) {
    const f = parseOnce(fs, parseIfcfg, file, fs.readText(file) ?? '');
    add(device, normalizeMac(getVar(f, 'HWADDR') ?? getVar(f, 'MACADDR') ?? ''), getVar(f, 'TYPE') === 'Bridge', []);
    const gateway = getVar(f, 'GATEWAY');
    if (gateway) routes.push({ dev: device, dst: '0.0.0.0/0', gateway });
  }
  for (const link of links.values()) {
    for (const port of link.ports) {
      const p = links.get(port);
      if (p) p.master = link.name;
    }
  }
  return { links: [...links.values()], routes };
}
