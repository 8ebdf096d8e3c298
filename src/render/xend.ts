// xend profile artifacts, exactly the guide's (seed 000 lines 62–75):
// (network-script network-bridge-custom) in xend-config.sxp and the wrapper script, mode 755.
import type { BridgeSpec } from '../topology.js';
import type { FileChange } from '../plan/types.js';
import { getDirective, setDirective } from '../parse/sxp.js';
import { shellWord } from './shellWord.js';

export const XEND_CONFIG = '/etc/xen/xend-config.sxp';
export const SCRIPTS_DIR = '/etc/xen/scripts';
export const CUSTOM_SCRIPT_NAME = 'network-bridge-custom';
export const CUSTOM_SCRIPT = `${SCRIPTS_DIR}/${CUSTOM_SCRIPT_NAME}`;

/** seed 000 lines 72–75 (the blank line 74 holds a stray space in the guide's HTML; ours is empty). */
export function renderBridgeCustomScript(bridge: BridgeSpec): string {
  const antispoof = bridge.antispoof ? 'yes' : 'no';
  // Each value is one quoted word (bare when inert, as in the guide): a name can never run code.
  const words = [`bridge=${bridge.name}`, `netdev=${bridge.nic}`].map((w, i) => shellWord(w, i === 0 ? 'wan.bridge' : 'wan.nic'));
  return [
    '#!/bin/sh',
    'dir=$(dirname $0)',
    '',
    `\${dir}/network-bridge "$@" vifnum=0 ${words.join(' ')} antispoof=${antispoof}`,
    '',
  ].join('\n');
}

export function renderXendConfig(sxp: { text: string; mode: string } | null): FileChange | null {
  if (!sxp) return null;
  const current = getDirective(sxp.text, XEND_CONFIG, 'network-script');
  if (current?.value === CUSTOM_SCRIPT_NAME) return null;
  // seed 000 lines 66 → 68: the live line, not the commented examples.
  const after = setDirective(sxp.text, XEND_CONFIG, 'network-script', CUSTOM_SCRIPT_NAME);
  return { path: XEND_CONFIG, mode: sxp.mode, before: sxp.text, after };
}

export function renderCustomScriptChange(bridge: BridgeSpec, existing: { text: string; mode: string } | null): FileChange | null {
  const after = renderBridgeCustomScript(bridge);
  if (existing && existing.text === after && existing.mode === '0755') return null;
  // root:root 755 (seed 000 line 70).
  return { path: CUSTOM_SCRIPT, mode: '0755', before: existing?.text ?? null, after };
}

/** The script xend runs now: `network-bridge` unless the sxp names another (seed 000 line 18). */
export function currentNetworkScript(networkScript: string | null): string[] {
  const words = (networkScript ?? 'network-bridge').split(/\s+/).filter(Boolean);
  const [script, ...args] = words.length ? words : ['network-bridge'];
  return [script.startsWith('/') ? script : `${SCRIPTS_DIR}/${script}`, ...args];
}
