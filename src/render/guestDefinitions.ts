// Guest definitions with their vifs moved: surgical edits of xm/xl configs and libvirt XML.
import type { VifMove } from '../model/topology.js';
import { parsedFile, type FileChange, type ReadFile } from '../model/plan.js';
import { parseXlConfig } from '../parse/xlConfig.js';
import { appendVifInConfig, setVifKeysInConfig } from '../parse/vifSpec.js';
import { appendInterface, setInterfaceBridge, setInterfaceMac } from '../parse/libvirtXml.js';

export function renderGuestDefinitions(moves: VifMove[], read: ReadFile): { change: FileChange; kind: VifMove['kind'] }[] {
  const byPath = new Map<string, VifMove[]>();
  for (const move of moves) {
    const list = byPath.get(move.path);
    if (list) list.push(move);
    else byPath.set(move.path, [move]);
  }
  const changes: { change: FileChange; kind: VifMove['kind'] }[] = [];
  for (const [path, fileMoves] of byPath) {
    const file = read(path);
    if (!file) continue;
    let text = file.text;
    // Edits of existing vifs first (their indexes are as detected), then the added ones in order.
    const ordered = fileMoves.length > 1 ? [...fileMoves].sort((a, b) => Number(a.add ?? false) - Number(b.add ?? false)) : fileMoves;
    for (const move of ordered) {
      if (move.add) {
        // seed 000 lines 97 and 112–116: a new vif with a fixed MAC on the recipe's bridge.
        if (!move.mac) throw new Error(`new vif of ${move.guest} without a MAC`);
        text = move.kind === 'xm'
          ? appendVifInConfig(text, path, `mac=${move.mac},bridge=${move.to}`)
          : appendInterface(text, path, { bridge: move.to, mac: move.mac, script: 'vif-bridge' });
        continue;
      }
      if (move.kind === 'xm') {
        // seed 000 lines 38 → 42: only the bridge token changes; mac= goes first when added.
        // The config as detection parsed it, while no edit has changed it yet.
        const parsed = () => (text === file.text ? parsedFile(file, path, parseXlConfig) : undefined);
        const keys: [string, string][] = [];
        if (move.from !== move.to) keys.push(['bridge', move.to]);
        if (move.mac) keys.push(['mac', move.mac]);
        if (keys.length > 0) text = setVifKeysInConfig(text, path, move.index, keys, parsed());
      } else {
        // seed 000 lines 50–58: <source bridge='virbr0'/> → <source bridge='xenbr0'/>.
        if (move.from !== move.to) text = setInterfaceBridge(text, path, move.index, move.to);
        if (move.mac) text = setInterfaceMac(text, path, move.index, move.mac);
      }
    }
    if (text !== file.text) changes.push({ change: { path, mode: file.mode, before: file.text, after: text }, kind: fileMoves[0].kind });
  }
  return changes;
}
