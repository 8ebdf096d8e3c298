// libxl's stored configuration of a running domain: /var/lib/xen/userdata-d.<domid>.<uuid>.libxl-json.
// Whatever rebuilds a domain reads it, not /etc/xen/*.cfg: xl's reboot handler (a guest-initiated
// reboot and `xl reboot`) calls libxl_retrieve_domain_configuration, and so do `xl save` and
// `xl migrate`, whose image carries that config to `xl restore`. The retrieval merges only the
// devid, nictype and MAC of each vif back from xenstore (libxl_nic.c, libxl__update_config_nic),
// never its bridge, so after a live move the stored `bridge` must be edited too, or the guest comes
// back on the old bridge. `xl network-detach` + `network-attach` would rewrite it, but unplugs the
// guest's NIC; libxl's own update (libxl__device_add_async: read, change one device, rename into
// place) is what this file step does, journaled so rollback puts the exact bytes back.
import type { FileChange, ReadFile, Step } from '../model/plan.js';

export const LIBXL_DIR = '/var/lib/xen';
const USERDATA = /^userdata-d\.(\d+)\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.libxl-json$/;

/** The stored config of each running domain, domid → path, from the names in /var/lib/xen. */
export function libxlConfigPaths(names: string[], domids: number[]): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const name of names) {
    const m = USERDATA.exec(name);
    if (m && domids.includes(Number(m[1]))) paths[m[1]!] = `${LIBXL_DIR}/${name}`;
  }
  return paths;
}

/** [start, end) of the JSON value that starts at `from` (an object or array), strings honoured. */
function valueEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * The stored config with the `bridge` of the vifs `devids` changed from `from` to `to`, every other
 * byte kept (libxl's own layout, so the plan's diff is those lines); null when none says `from`.
 * A nic without "devid" is numbered by its place in the list, as libxl numbers them at creation.
 */
export function retargetLibxlBridge(text: string, devids: number[], from: string, to: string): string | null {
  let config: { nics?: { devid?: number; bridge?: string }[] };
  try {
    config = JSON.parse(text) as typeof config;
  } catch {
    return null;
  }
  const nics = config.nics ?? [];
  const key = /"nics"\s*:\s*\[/.exec(text);
  if (!key || !nics.some((n, i) => devids.includes(n.devid ?? i) && n.bridge === from)) return null;
  let out = text.slice(0, key.index + key[0].length);
  let at = out.length;
  for (let i = 0; i < nics.length; i++) {
    const start = text.indexOf('{', at);
    const end = valueEnd(text, start);
    if (start < 0 || end < 0) return null;
    let obj = text.slice(start, end);
    const nic = nics[i]!;
    if (devids.includes(nic.devid ?? i) && nic.bridge === from) {
      obj = obj.replace(/("bridge"\s*:\s*)"(?:[^"\\]|\\.)*"/, (_, k: string) => `${k}${JSON.stringify(to)}`);
    }
    out += text.slice(at, start) + obj;
    at = end;
  }
  return out + text.slice(at);
}

export interface LibxlVif { guest: string; domid: number; devid: number }

/**
 * One file step per domain whose stored config names `from` for a moved vif. Its file is ephemeral:
 * libxl deletes it with the domain, so a domain restarted since (a new domid) leaves nothing to put
 * back at rollback.
 */
export function libxlConfigSteps(vifs: LibxlVif[], paths: Record<string, string> | undefined, read: ReadFile, from: string, to: string): Step[] {
  const steps: Step[] = [];
  for (const domid of [...new Set(vifs.map((v) => v.domid))]) {
    const path = paths?.[String(domid)];
    const file = path ? read(path) : null;
    if (!path || !file) continue;
    const mine = vifs.filter((v) => v.domid === domid);
    const after = retargetLibxlBridge(file.text, mine.map((v) => v.devid), from, to);
    if (after === null) continue;
    const change: FileChange = { path, mode: file.mode, before: file.text, after, ephemeral: true };
    steps.push({
      id: `edit:${path}`,
      kind: 'file',
      phase: 'edit',
      title: { key: 'step.libxlConfig', params: { guest: mine[0]!.guest, bridge: to } },
      file: change,
    });
  }
  return steps;
}
