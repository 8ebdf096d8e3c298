// libvirt's persistent networks (/etc/libvirt/qemu/networks/*.xml) and their autostart links.
import type { LibvirtNetwork } from '../model/host.js';
import type { RootFs } from '../system/rootfs.js';
import { parseNetworkXml } from '../parse/libvirtXml.js';
import { parseOnce } from './hostFiles.js';

export const LIBVIRT_NETWORKS_DIR = '/etc/libvirt/qemu/networks';

export function detectLibvirtNetworks(fs: RootFs): LibvirtNetwork[] {
  return fs
    .list(LIBVIRT_NETWORKS_DIR)
    .filter((entry) => entry.endsWith('.xml'))
    .flatMap((entry) => {
      const file = `${LIBVIRT_NETWORKS_DIR}/${entry}`;
      const text = fs.readText(file);
      if (text === null) return [];
      const net = parseOnce(fs, parseNetworkXml, file, text);
      const name = net.name ?? entry.replace(/\.xml$/, '');
      const autostartPath = `${LIBVIRT_NETWORKS_DIR}/autostart/${name}.xml`;
      const autostart = fs.exists(autostartPath);
      return [{ name, path: file, bridge: net.bridge, forwardMode: net.forwardMode, autostart, autostartPath: autostart ? autostartPath : null }];
    });
}
