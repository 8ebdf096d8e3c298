// The review's small before/after picture: which bridge each guest and the NIC hang on.
import type { HostFacts } from '../host.js';
import type { Topology } from '../topology.js';
import type { Translate } from '../i18n.js';
import type { Paint } from './format.js';
import { guestBridges } from '../detect/guests.js';

function bridgeLines(byBridge: Map<string, string[]>): string[] {
  return [...byBridge.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([bridge, members]) => `  ${bridge.padEnd(10)} ── ${members.join(', ') || '·'}`);
}

function add(map: Map<string, string[]>, bridge: string, member: string): void {
  map.set(bridge, [...(map.get(bridge) ?? []), member]);
}

export function renderPicture(host: HostFacts, topology: Topology, t: Translate, paint: Paint): string {
  const before = new Map<string, string[]>();
  const after = new Map<string, string[]>();
  const nic = topology.bridge.nic;
  const nicMaster = host.links.find((l) => l.name === nic)?.master;
  add(before, nicMaster ?? `(${t('picture.noBridge')})`, `${nic} (LAN)`);
  add(after, topology.bridge.name, `${nic} (LAN)`);
  const moved = new Set(topology.vifMoves.map((m) => m.guest));
  for (const guest of host.guests) {
    for (const bridge of guestBridges(guest)) {
      add(before, bridge, guest.name);
      add(after, moved.has(guest.name) && bridge === topology.sourceBridge ? topology.bridge.name : bridge, guest.name);
    }
  }
  if (topology.libvirtDisable.length > 0) {
    after.delete(topology.sourceBridge);
    add(after, topology.sourceBridge, `(${t('picture.stopped')})`);
  }
  return [paint.head(t('picture.before')), ...bridgeLines(before), paint.head(t('picture.after')), ...bridgeLines(after), ''].join('\n');
}
