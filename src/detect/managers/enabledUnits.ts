// Which systemd units a root enables at boot: the links under etc/systemd/system/*.wants/ that
// `systemctl enable` makes (and an alias such as network.service pointing at one), minus the
// units masked to /dev/null. Read from the root's files only, as `systemctl --root` would.
import type { RootFs } from '../../system/rootfs.js';

const SYSTEM = '/etc/systemd/system';

/** Where `unit` is enabled (the wants link's path), or null; a masked unit is never enabled. */
export function enabledAt(fs: RootFs, unit: string): string | null {
  if (fs.readLink(`${SYSTEM}/${unit}`) === '/dev/null') return null;
  for (const dir of fs.list(SYSTEM)) {
    if (!dir.endsWith('.wants')) continue;
    const link = `${SYSTEM}/${dir}/${unit}`;
    if (fs.exists(link)) return link;
  }
  return null;
}

/** The unit an alias in /etc/systemd/system names (network.service → wicked.service), or null. */
export function aliasTarget(fs: RootFs, alias: string): string | null {
  const target = fs.readLink(`${SYSTEM}/${alias}`);
  return target ? target.slice(target.lastIndexOf('/') + 1) : null;
}
