// What rebuilds a running domain after a live move, read in Xen 4.17's sources (RELEASE-4.17.5):
// - `xl reboot` and a guest-initiated reboot: the `xl create` process stays as the domain's monitor;
//   on its death with on_reboot=restart, handle_domain_death() calls reload_domain_config()
//   (tools/xl/xl_vmcontrol.c). That takes xl's own userdata "xl" first
//   (/var/lib/xen/userdata-d.<domid>.<uuid>.xl, the cfg text `xl config-update` stored; it is
//   unlinked once used), else libxl_retrieve_domain_configuration(), and only when that fails the
//   config the monitor was started with (the old cfg, naming the old bridge).
// - `xl save` without a cfg argument: save_domain_core_begin() (tools/xl/xl_saverestore.c) takes
//   libxl_retrieve_domain_configuration() and writes it as JSON into the image; `xl restore` builds
//   the domain from that JSON. `xl migrate` does the same over the wire.
// - libxl_retrieve_domain_configuration() (tools/libs/light/libxl_domain.c) starts from the stored
//   JSON, /var/lib/xen/userdata-d.<domid>.<uuid>.libxl-json (written by domcreate_complete(),
//   libxl_create.c, and by each device add), and merges back from xenstore only the devid, nictype
//   and MAC of each vif (libxl_nic.c, libxl__update_config_nic), never its bridge.
// So after a live move the stored JSON's `bridge` must name the new bridge (reboot, save/restore),
// and so must the "xl" userdata where one exists (reboot); /etc/xen/*.cfg only serves `xl create`.
// `xl network-detach` + `network-attach` would rewrite the JSON too, but unplugs the guest's NIC.
// The edits here are what libxl's own update does (libxl__device_add_async: read, change one
// device, rename into place), as journaled file steps so rollback puts the exact bytes back.
import type { FileChange, ReadFile, Step } from '../model/plan.js';
import { parseXlConfig, vifSpecs } from '../parse/xlConfig.js';
import { setVifKeyInConfig, vifSpecToKeys } from '../parse/vifSpec.js';

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
export function retargetLibxlBridge(stored: string, devids: number[], from: string, to: string): string | null {
  // libxl stores the JSON with its C string's terminating NUL (libxl__set_domain_configuration,
  // libxl_internal.c: strlen + 1) and parses it as a C string, so the text ends at the first NUL;
  // what follows it (that NUL) is kept byte for byte.
  const nul = stored.indexOf('\0');
  const text = nul < 0 ? stored : stored.slice(0, nul);
  const tail = nul < 0 ? '' : stored.slice(nul);
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
  return out + text.slice(at) + tail;
}

export interface LibxlVif { guest: string; domid: number; devid: number }

/** xl's own userdata of the same domain: the cfg text `xl config-update` stored, beside the JSON. */
export function xlUserdataPath(libxlJson: string): string {
  return libxlJson.replace(/\.libxl-json$/, '.xl');
}

/**
 * The "xl" userdata with `bridge=to` on those of the vifs `devids` that say `from` or no bridge (a
 * vif is numbered by its place in the list, as xl numbers them); null when none does. A vif
 * without bridge= gets one: the monitor would fill in the vif.default.bridge it read from xl.conf
 * when it started (the old one). A vif that is an expression is refused (InputError, file, line).
 */
export function retargetXlUserdata(text: string, file: string, devids: number[], from: string, to: string): string | null {
  let out = text;
  for (const item of vifSpecs(parseXlConfig(text, file))) {
    if (!devids.includes(item.index)) continue;
    const bridge = 'spec' in item ? vifSpecToKeys(item.spec).bridge : undefined;
    if (bridge !== undefined && bridge !== from) continue;
    out = setVifKeyInConfig(out, file, item.index, 'bridge', to);
  }
  return out === text ? null : out;
}

function ephemeralStep(key: string, path: string, file: { mode: string; text: string }, after: string, guest: string, bridge: string): Step {
  const change: FileChange = { path, mode: file.mode, before: file.text, after, ephemeral: true };
  return { id: `edit:${path}`, kind: 'file', phase: 'edit', title: { key, params: { guest, bridge } }, file: change };
}

/**
 * The file steps per domain whose stored config names `from` for a moved vif: the libxl JSON, and
 * the "xl" userdata where `xl config-update` left one. Their files are ephemeral: libxl deletes
 * them with the domain (and xl the "xl" one once a reboot used it), so a domain restarted since (a
 * new domid) leaves nothing to put back at rollback.
 */
export function libxlConfigSteps(vifs: LibxlVif[], paths: Record<string, string> | undefined, read: ReadFile, from: string, to: string): Step[] {
  const steps: Step[] = [];
  for (const domid of [...new Set(vifs.map((v) => v.domid))]) {
    const path = paths?.[String(domid)];
    if (!path) continue;
    const mine = vifs.filter((v) => v.domid === domid);
    const devids = mine.map((v) => v.devid);
    const file = read(path);
    const after = file ? retargetLibxlBridge(file.text, devids, from, to) : null;
    if (file && after !== null) steps.push(ephemeralStep('step.libxlConfig', path, file, after, mine[0]!.guest, to));
    const xlPath = xlUserdataPath(path);
    const xl = read(xlPath);
    const xlAfter = xl ? retargetXlUserdata(xl.text, xlPath, devids, from, to) : null;
    if (xl && xlAfter !== null) steps.push(ephemeralStep('step.xlUserdata', xlPath, xl, xlAfter, mine[0]!.guest, to));
  }
  return steps;
}
