// Faithful or refused for initscripts' ifcfg-* (DESIGN.md): before a NIC's addressing moves into
// ifcfg-<bridge>, what initscripts would do differently with the NIC — a bond slave (ifup-eth
// handles MASTER/SLAVE before BRIDGE, so the bridge never gets its port), a VLAN device, a port of
// another bridge, a BOOTPROTO the bridge cannot take, static routes written for the NIC's name, a
// `manual` NIC that carries the default route — is refused with the file and line; route-<nic>
// and route6-<nic> files with no device name in them, and alias files ifcfg-<nic>:N, are carried
// to the bridge's name.
import { getVar, parseIfcfg, setVar, type IfcfgFile } from '../parse/ifcfg.js';
import type { FileChange, ReadFile } from '../model/plan.js';
import { InputError } from '../errors.js';

const CARRIED_BOOTPROTO = /^(none|static|dhcp|bootp|)$/i;

const lineOf = (f: IfcfgFile, key: string) => (f.vars.filter((v) => v.key === key).pop()?.line ?? 0) + 1;

export function checkIfcfgFaithful(nic: IfcfgFile, name: string, bridge: string, defaultRouteNic?: string | null): void {
  const at = (key: string) => ({ file: nic.file, line: lineOf(nic, key), nic: name });
  const master = getVar(nic, 'MASTER');
  if (master !== undefined || /^yes$/i.test(getVar(nic, 'SLAVE') ?? '')) {
    throw new InputError('error.nicBondSlaveConfig', { ...at(master !== undefined ? 'MASTER' : 'SLAVE'), master: master ?? '-' });
  }
  if (/^yes$/i.test(getVar(nic, 'VLAN') ?? '') || getVar(nic, 'PHYSDEV') !== undefined) {
    throw new InputError('error.nicIsVlanConfig', { ...at(getVar(nic, 'PHYSDEV') !== undefined ? 'PHYSDEV' : 'VLAN'), master: getVar(nic, 'PHYSDEV') ?? '-' });
  }
  const other = getVar(nic, 'BRIDGE');
  if (other !== undefined && other !== bridge) throw new InputError('error.nicBridgePortConfig', { ...at('BRIDGE'), master: other });
  const proto = getVar(nic, 'BOOTPROTO') ?? '';
  if (!CARRIED_BOOTPROTO.test(proto)) {
    throw new InputError('error.ifupdownMethodNotCarried', { ...at('BOOTPROTO'), family: 'BOOTPROTO', method: proto });
  }
  const addressed = /^(dhcp|bootp)$/i.test(proto) || nic.vars.some((v) => /^(IPADDR\d*|IPV6ADDR|DHCPV6C)$/.test(v.key) || (v.key === 'IPV6_AUTOCONF' && /^yes$/i.test(v.value)));
  if (defaultRouteNic === name && !addressed) {
    throw new InputError('error.nicManualDefaultRoute', { ...at('BOOTPROTO'), line: getVar(nic, 'BOOTPROTO') === undefined ? 1 : lineOf(nic, 'BOOTPROTO') });
  }
}

/**
 * ifup-routes reads route-<device> and route6-<device> for the device that comes up: the NIC's
 * static routes belong to the bridge now. A file that names the NIC (`dev eth0`) is refused:
 * which of its routes are the port's is the admin's call.
 */
export function carriedRouteFiles(dir: string, name: string, bridge: string, read: ReadFile): FileChange[] {
  const changes: FileChange[] = [];
  for (const kind of ['route', 'route6']) {
    const from = `${dir}/${kind}-${name}`;
    const file = read(from);
    if (!file) continue;
    const lines = file.text.split('\n');
    const named = lines.findIndex((l) => !l.trim().startsWith('#') && l.split(/[\s=]+/).includes(name));
    if (named >= 0) throw new InputError('error.ifcfgRouteNamesNic', { file: from, line: named + 1, nic: name, bridge });
    const to = `${dir}/${kind}-${bridge}`;
    const existing = read(to);
    if (existing) throw new InputError('error.ifcfgMoveTargetExists', { file: to, from });
    changes.push({ path: from, mode: file.mode, before: file.text, after: null }, { path: to, mode: file.mode, before: null, after: file.text });
  }
  return changes;
}

/**
 * initscripts' ifup-aliases adds the address of ifcfg-eth0:N to the device before the colon: once
 * eth0 is a port, that must be the bridge. Each alias file becomes ifcfg-<bridge>:N with its
 * DEVICE renamed; every other byte stays.
 */
export function carriedAliasFiles(dir: string, name: string, bridge: string, read: ReadFile, entries: string[]): FileChange[] {
  const changes: FileChange[] = [];
  for (const entry of entries.filter((e) => e.startsWith(`ifcfg-${name}:`))) {
    const from = `${dir}/${entry}`;
    const file = read(from);
    if (!file) continue;
    const alias = entry.slice(`ifcfg-${name}:`.length);
    const to = `${dir}/ifcfg-${bridge}:${alias}`;
    if (read(to)) throw new InputError('error.ifcfgMoveTargetExists', { file: to, from });
    const device = getVar(parseIfcfg(file.text, from), 'DEVICE');
    const after = device === undefined ? file.text : setVar(file.text, from, 'DEVICE', `${bridge}:${alias}`);
    changes.push({ path: from, mode: file.mode, before: file.text, after: null }, { path: to, mode: file.mode, before: null, after });
  }
  return changes;
}

/**
 * A VLAN over the NIC (ifcfg-eth0.10, or PHYSDEV=eth0 with VLAN=yes) would stay on a bridge port,
 * bypassing the bridge: refused, naming the VLAN's file.
 */
export function checkIfcfgVlanChildren(dir: string, name: string, bridge: string, read: ReadFile, entries: string[]): void {
  for (const entry of entries.filter((e) => e.startsWith('ifcfg-') && e !== `ifcfg-${name}`)) {
    const file = `${dir}/${entry}`;
    const dotted = entry.startsWith(`ifcfg-${name}.`) && /^\d+$/.test(entry.slice(`ifcfg-${name}.`.length));
    // Detection read every ifcfg file already (src/detect/profile.ts): no second read from disk.
    // Backups and files that are not shell assignments are not initscripts' to read (detect skips them too).
    const text = /[~]$|\.(bak|orig|rpmnew|rpmsave)$/.test(entry) ? undefined : read(file)?.text;
    let physdev: { line: number } | undefined;
    try {
      physdev = text === undefined ? undefined : parseIfcfg(text, file).vars.find((v) => v.key === 'PHYSDEV' && v.value === name);
    } catch {
      physdev = undefined;
    }
    if (dotted || physdev) {
      throw new InputError('error.nicHasVlanChild', { file, line: (physdev?.line ?? 0) + 1, nic: name, vlan: entry.slice('ifcfg-'.length), bridge });
    }
  }
}
