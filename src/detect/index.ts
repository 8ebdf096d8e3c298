// detect: everything the recipes decide from, read from a dom0 root (fixture or live).
import type { HostFacts, UnparsedGuest } from '../model/host.js';
import type { RootFs } from '../system/rootfs.js';
import { detectLinks, defaultRouteNic, type IpRunner } from './links.js';
import { detectGuests } from './guests.js';
import { detectLibvirtNetworks } from './libvirtNetworks.js';
import { detectProfile } from './profile.js';
import { decideManager } from './managers/index.js';
import { readOsRelease } from './managers/distribution.js';
import { readInterfacesFiles } from './ifupdownFiles.js';
import { linksFromConfig } from './configLinks.js';
import { getDirective } from '../parse/sxp.js';
import { HostFiles, rememberFiles } from './hostFiles.js';

export interface DetectOptions {
  live: boolean;
  ip: IpRunner;
}

/** The host's facts; the files read and parsed on the way go with them to the planner (filesOf). */
export async function detectHost(root: RootFs, options: DetectOptions): Promise<HostFacts> {
  const fs = root instanceof HostFiles ? root : new HostFiles(root);
  const interfaces = readInterfacesFiles(fs);
  let linkFacts = await detectLinks(fs, options.live, options.ip);
  if (linkFacts.source === 'none') linkFacts = { source: 'config', ...linksFromConfig(fs, interfaces) };
  const defaultNic = defaultRouteNic(linkFacts.routes);
  const libvirtNetworks = detectLibvirtNetworks(fs);
  const unparsedGuests: UnparsedGuest[] = [];
  const guests = detectGuests(fs, unparsedGuests);
  // <interface type='network'>: the bridge is the network's (default → virbr0).
  for (const def of guests.flatMap((g) => g.definitions)) {
    for (const vif of def.vifs) {
      if (!vif.bridge && vif.network) {
        vif.bridge = libvirtNetworks.find((n) => n.name === vif.network)?.bridge ?? (vif.network === 'default' ? 'virbr0' : null);
      }
    }
  }
  const sxpText = fs.readText('/etc/xen/xend-config.sxp');
  // xend reads the first live form (XendOptions → sxp.child_value); getDirective does the same.
  const networkScript = sxpText === null ? null : (getDirective(sxpText, '/etc/xen/xend-config.sxp', 'network-script')?.value ?? null);
  const macs = new Set<string>();
  for (const link of linkFacts.links) if (link.mac && link.mac !== '00:00:00:00:00:00') macs.add(link.mac);
  for (const def of guests.flatMap((g) => g.definitions)) for (const vif of def.vifs) if (vif.mac) macs.add(vif.mac);
  const manager = decideManager(fs, defaultNic ?? linkFacts.links.find((l) => !l.isBridge && l.name !== 'lo')?.name ?? null);
  const host: HostFacts = {
    root: fs.root,
    profile: detectProfile(fs),
    backend: manager.backend,
    distribution: readOsRelease(fs),
    managers: manager.claims,
    backendWhy: manager.why,
    backendConflict: manager.conflict,
    linkSource: linkFacts.source,
    links: linkFacts.links,
    routes: linkFacts.routes,
    defaultRouteNic: defaultNic,
    networkScript,
    libvirtNetworks,
    guests,
    macsInUse: [...macs].sort(),
    unparsedGuests,
  };
  rememberFiles(host, fs);
  return host;
}
