// The review's small before/after picture: which bridge each guest and the NIC hang on.
import type { HostFacts } from '../model/host.js';
import type { Topology } from '../model/topology.js';
import type { Translate } from '../i18n.js';
import type { Paint } from './format.js';
import { displayWidth, padEndDisplay, wrapText } from '../ui/textWidth.js';
import { sortByLocale } from '../system/localeOrder.js';

/** One line per bridge, the members' column padded by display width ("(ブリッジなし)" is 14 columns). */
function bridgeLines(byBridge: Map<string, string[]>, column: number): string[] {
  return sortByLocale([...byBridge.entries()], ([bridge]) => bridge)
    .map(([bridge, members]) => {
      const head = `  ${padEndDisplay(bridge, column)} ── `;
      return wrapText(head + (members.join(', ') || '·'), 80, { hanging: ' '.repeat(displayWidth(head)) });
    });
}

function add(map: Map<string, string[]>, bridge: string, member: string): void {
  map.set(bridge, [...(map.get(bridge) ?? []), member]);
}

export function renderPicture(host: HostFacts, topology: Topology, t: Translate, paint: Paint): string {
  const before = new Map<string, string[]>();
  const after = new Map<string, string[]>();
  for (const [n, bridge] of topology.bridges.entries()) {
    if (bridge.nic === null) {
      add(after, bridge.name, `(${t('picture.internal')})`);
      continue;
    }
    const nicMaster = host.links.find((l) => l.name === bridge.nic)?.master;
    // routed-lan's first bridge goes to the WAN; its LAN is routed through libvirt's network.
    const role = topology.libvirtDefine.some((net) => net.forward?.mode === 'route') ? 'WAN' : 'LAN';
    const label = n === 0 ? `${bridge.nic} (${role})` : bridge.nic;
    add(before, nicMaster ?? `(${t('picture.noBridge')})`, label);
    add(after, bridge.name, label);
  }
  for (const net of topology.libvirtDefine) add(after, net.bridge, `(libvirt ${net.name})`);
  for (const guest of host.guests) {
    const moves = topology.vifMoves.filter((m) => m.guest === guest.name);
    for (const def of guest.definitions.slice(0, 1)) {
      for (const vif of def.vifs) {
        if (!vif.bridge) continue;
        add(before, vif.bridge, guest.name);
        add(after, moves.find((m) => m.index === vif.index && !m.add)?.to ?? vif.bridge, guest.name);
      }
      for (const m of moves.filter((x) => x.add && x.path === def.path)) add(after, m.to, `${guest.name} (+vif${m.index})`);
    }
  }
  // A bridge that a defined network takes over (routed-lan's virbr0) is not stopped.
  if (topology.libvirtDisable.length > 0 && !topology.libvirtDefine.some((n) => n.bridge === topology.sourceBridge)) {
    after.delete(topology.sourceBridge);
    add(after, topology.sourceBridge, `(${t('picture.stopped')})`);
  }
  const column = Math.max(10, ...[...before.keys(), ...after.keys()].map(displayWidth));
  return [paint.head(t('picture.before')), ...bridgeLines(before, column), paint.head(t('picture.after')), ...bridgeLines(after, column), ''].join('\n');
}
