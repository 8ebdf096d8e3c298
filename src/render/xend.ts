// xend profile artifacts, exactly the guide's (seed 000 lines 62–75):
// (network-script network-bridge-custom) in xend-config.sxp and the wrapper script, mode 755.
import type { PortedBridge } from '../model/topology.js';
import type { FileChange } from '../model/plan.js';
import { getDirective, setDirective } from '../parse/sxp.js';
import { shellWord } from './shellWord.js';

export const XEND_CONFIG = '/etc/xen/xend-config.sxp';
export const SCRIPTS_DIR = '/etc/xen/scripts';
export const CUSTOM_SCRIPT_NAME = 'network-bridge-custom';
export const CUSTOM_SCRIPT = `${SCRIPTS_DIR}/${CUSTOM_SCRIPT_NAME}`;

/** The network-bridge-custom wrapper of every xend recipe: variables, clean-up, bridge calls, tail. */
export interface WrapperSpec {
  /** Shell variables set after dir=…, e.g. libvirtbr=virbr1 (seed 000 line 134). */
  vars: [string, string][];
  /**
   * Lines run before the bridge scripts (libvirt's iptables clean-up, seed 000 lines 136–140):
   * fixed text of the guide that refers to the variables above, never built from answers.
   */
  before: string[];
  /**
   * `${dir}/SCRIPT "$@" key=value …` lines (seed 000 lines 75, 246–247, 328–329). The third
   * element names the answer a value came from, for the message when it cannot be quoted.
   */
  calls: { script: string; args: [string, string, string?][] }[];
  /** Lines after the calls (`echo 0 >/proc/sys/net/ipv4/ip_forward`, seed 000 line 144). */
  after: string[];
}

/**
 * The wrapper, laid out as the guide prints it (seed 000 lines 72–75, 131–144, 243–249, 325–331).
 * The guide's blank lines hold a stray space in its HTML; ours are empty.
 */
export function renderWrapperScript(spec: WrapperSpec): string {
  // Each value is one quoted word (bare when inert, as in the guide): a name can never run code.
  const call = (c: WrapperSpec['calls'][number]) =>
    [`\${dir}/${c.script} "$@"`, ...c.args.map(([k, v, field]) => shellWord(`${k}=${v}`, field ?? k))].join(' ');
  return [
    '#!/bin/sh',
    'dir=$(dirname $0)',
    ...spec.vars.map(([k, v]) => `${k}=${shellWord(v, k)}`),
    '',
    ...(spec.before.length ? [...spec.before, ''] : []),
    ...spec.calls.map(call),
    ...(spec.after.length ? ['', ...spec.after] : []),
    '',
  ].join('\n');
}

/** seed 000 lines 72–75: one network-bridge call for the bridge over the NIC. */
export function singleBridgeWrapper(bridge: PortedBridge): WrapperSpec {
  const antispoof = bridge.antispoof ? 'yes' : 'no';
  return {
    vars: [],
    before: [],
    calls: [{ script: 'network-bridge', args: [['vifnum', '0'], ['bridge', bridge.name, 'wan.bridge'], ['netdev', bridge.nic, 'wan.nic'], ['antispoof', antispoof]] }],
    after: [],
  };
}

export function renderBridgeCustomScript(bridge: PortedBridge): string {
  return renderWrapperScript(singleBridgeWrapper(bridge));
}

export function renderXendConfig(sxp: { text: string; mode: string } | null): FileChange | null {
  if (!sxp) return null;
  const current = getDirective(sxp.text, XEND_CONFIG, 'network-script');
  if (current?.value === CUSTOM_SCRIPT_NAME) return null;
  // seed 000 lines 66 → 68: the live line, not the commented examples.
  const after = setDirective(sxp.text, XEND_CONFIG, 'network-script', CUSTOM_SCRIPT_NAME);
  return { path: XEND_CONFIG, mode: sxp.mode, before: sxp.text, after };
}

export function renderCustomScriptChange(wrapper: WrapperSpec, existing: { text: string; mode: string } | null): FileChange | null {
  const after = renderWrapperScript(wrapper);
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
