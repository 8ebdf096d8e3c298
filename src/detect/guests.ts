// Guests and their vifs: xm/xl configs in /etc/xen, libvirt XML dumps in /etc/xen/xml (the guide's
// example directory, seed 000 line 20) and libvirt's own /etc/libvirt/{qemu,libxl}. One guest found
// in several places is one guest with several definitions; all of them get edited.
import path from 'node:path';
import type { Guest, GuestDefinition, UnparsedGuest, Vif } from '../model/host.js';
import type { RootFs } from '../system/rootfs.js';
import { parseXlConfig, getSetting, getString, vifSpecs, type XlConfig } from '../parse/xlConfig.js';
import { vifSpecToKeys } from '../parse/vifSpec.js';
import { parseDomainXml } from '../parse/libvirtXml.js';
import { normalizeMac } from '../mac.js';
import { parseOnce } from './hostFiles.js';
import { sortByLocale } from '../system/localeOrder.js';

/** Files in /etc/xen that are never guest configs. */
const NOT_GUESTS = new Set(['xend-config.sxp', 'xl.conf', 'xm-config.xml', 'cpupool', 'README', 'README.incompatibilities']);
const LOOKS_LIKE_GUEST = /^\s*(name|vif|memory|kernel|disk|builder|type)\s*=/m;
/** Names in /etc/xen that are scripts, XML, packaging leftovers or backups: never read as guests. */
const NOT_A_CONFIG_NAME = /\.(sxp|xml|sh|py|rpmnew|rpmsave|orig|bak|dpkg-\w+)$|~$/;

type Found = { name: string; def: GuestDefinition } | null;

/** What of an xm/xl config the wizard cannot read: its name, a vif, or a vif set in Python code. */
function unreadable(cfg: XlConfig, file: string): UnparsedGuest | null {
  const name = getSetting(cfg, 'name');
  if (!name) return { path: file, line: 1, why: 'noName' };
  if (name.value.kind !== 'string') return { path: file, line: name.line, why: 'nameNotLiteral' };
  const vif = getSetting(cfg, 'vif');
  const expression = vif && (vif.value.kind === 'expression' || (vif.value.kind === 'list' && vif.value.items.some((i) => i.kind !== 'string')));
  if (vif && expression) return { path: file, line: vif.line, why: 'vifNotLiteral' };
  const inCode = cfg.skipped?.find((s) => s.assigns === 'vif');
  if (inCode) return { path: file, line: inCode.line, why: 'vifInPython' };
  return null;
}

function xmDefinition(fs: RootFs, file: string, unparsed: UnparsedGuest[]): Found {
  const glance = fs.readText(file, { anyEncoding: true });
  if (glance === null || glance.startsWith('#!') || glance.includes('\0')) return null;
  // A file that does not look like a guest config is not ours to judge (scripts, notes, backups —
  // in any encoding); one that does and fails to parse (or is not UTF-8, so an edit could not keep
  // its bytes) is bad input (exit 2), reported with its line.
  if (!LOOKS_LIKE_GUEST.test(glance)) return null;
  const cfg = parseOnce(fs, parseXlConfig, file, fs.readText(file)!);
  const cannot = unreadable(cfg, file);
  if (cannot) unparsed.push(cannot);
  const name = getString(cfg, 'name');
  if (!name) return null;
  const vifs: Vif[] = vifSpecs(cfg).map((item) => {
    if ('spec' in item) {
      const keys = vifSpecToKeys(item.spec);
      return { index: item.index, mac: keys.mac ? normalizeMac(keys.mac) : null, bridge: keys.bridge ?? null, keys };
    }
    return { index: item.index, mac: null, bridge: null, keys: { expression: item.expression } };
  });
  return { name, def: { kind: 'xm', path: file, vifs } };
}

function xmlDefinition(fs: RootFs, file: string): { name: string; def: GuestDefinition } | null {
  const text = fs.readText(file);
  if (text === null) return null;
  const dom = parseOnce(fs, parseDomainXml, file, text);
  if (!dom.name) return null;
  const vifs: Vif[] = dom.interfaces.map((itf) => {
    const keys: Record<string, string> = {};
    for (const [k, v] of Object.entries({ type: itf.type, mac: itf.mac, bridge: itf.bridge, network: itf.network, script: itf.script, model: itf.model })) {
      if (v !== null) keys[k] = v;
    }
    return { index: itf.index, mac: itf.mac ? normalizeMac(itf.mac) : null, bridge: itf.bridge, network: itf.network, keys };
  });
  return { name: dom.name, def: { kind: 'libvirt-xml', path: file, vifs } };
}

/** The guests found, and the files that look like guest definitions but cannot be read whole. */
export function detectGuests(fs: RootFs, unparsed: UnparsedGuest[] = []): Guest[] {
  const found: { name: string; def: GuestDefinition }[] = [];
  const seenReal = new Set<string>();
  const once = (file: string) => {
    // /etc/xen/auto/NAME is a symlink to /etc/xen/NAME: the same guest, not a second one.
    const info = fs.info(file);
    if (!info || info.isDirectory) return false;
    const target = info.isSymlink ? path.posix.resolve(path.posix.dirname(file), fs.readLink(file) ?? '') : file;
    if (seenReal.has(target)) return false;
    seenReal.add(target);
    return true;
  };
  for (const entry of fs.list('/etc/xen')) {
    const file = `/etc/xen/${entry}`;
    const info = fs.info(file);
    if (!info || info.isDirectory || info.isSymlink || NOT_GUESTS.has(entry)) continue;
    if (NOT_A_CONFIG_NAME.test(entry)) continue;
    if (!once(file)) continue;
    const guest = xmDefinition(fs, file, unparsed);
    if (guest) found.push(guest);
  }
  for (const dir of ['/etc/xen/xml', '/etc/libvirt/libxl', '/etc/libvirt/qemu']) {
    for (const entry of fs.list(dir).filter((e) => e.endsWith('.xml'))) {
      const file = `${dir}/${entry}`;
      if (fs.info(file)?.isDirectory || !once(file)) continue;
      const guest = xmlDefinition(fs, file);
      if (guest) found.push(guest);
    }
  }
  const byName = new Map<string, Guest>();
  for (const { name, def } of found) {
    const guest = byName.get(name) ?? { name, definitions: [] };
    guest.definitions.push(def);
    byName.set(name, guest);
  }
  return sortByLocale([...byName.values()], (g) => g.name);
}

/** The bridges a guest's vifs are on, across all its definitions (first definition decides order). */
export function guestBridges(guest: Guest): string[] {
  return [...new Set(guest.definitions.flatMap((d) => d.vifs.map((v) => v.bridge).filter((b): b is string => !!b)))];
}
