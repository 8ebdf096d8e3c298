// Faithful or refused (DESIGN.md): before a NIC's stanzas move onto a bridge, every interfaces(5)
// construct that bears on its addressing is either one the move carries (static/dhcp/manual and
// inet6 static/auto/dhcp, aliases nic:N, hwaddress, mtu, hooks written with $IFACE, sourced
// files) or a refusal naming the file, the line and what to do — never dropped silently.
import type { IfaceStanza, InterfacesFile } from '../../parse/interfaces.js';
import { InputError } from '../../errors.js';

/** Methods whose options the move carries as they are: the kernel state they build moves with them. */
const CARRIED_METHODS: Record<string, RegExp> = { inet: /^(static|dhcp|manual)$/, inet6: /^(static|auto|dhcp|manual)$/ };
const HOOK = /^(pre-up|up|post-up|down|pre-down|post-down)$/;
const PORT_KEYS = /^bridge[-_]ports$/;

const where = (f: InterfacesFile, line: number) => ({ file: f.file, line: line + 1 });
const words = (value: string) => value.split(/\s+/).filter(Boolean);

/** A hook that names the NIC itself would act on the port, not on the bridge that takes its addressing. */
function namesNic(value: string, nic: string): boolean {
  return words(value).some((w) => w.split(/[=,:/]/).includes(nic) || w === `${nic}:` );
}

/** What names `nic` as a member of something else: a bond, a bridge, a VLAN's raw device. */
function membership(files: InterfacesFile[], nic: string): { key: string; f: InterfacesFile; master: string; line: number } | null {
  for (const f of files) {
    for (const s of f.ifaces) {
      for (const o of s.options) {
        if (s.name === nic && /^bond[-_]master$/.test(o.key)) return { key: 'error.nicBondSlaveConfig', f, master: o.value, line: o.line };
        if (s.name !== nic && /^bond[-_]slaves$/.test(o.key) && words(o.value).includes(nic)) return { key: 'error.nicBondSlaveConfig', f, master: s.name, line: o.line };
        if (s.name !== nic && PORT_KEYS.test(o.key) && words(o.value).includes(nic)) return { key: 'error.nicBridgePortConfig', f, master: s.name, line: o.line };
        if (s.name === nic && /^vlan[-_]raw[-_]device$/.test(o.key)) return { key: 'error.nicIsVlanConfig', f, master: o.value, line: o.line };
      }
    }
  }
  return null;
}

/** A VLAN over the NIC (eth0.10, or vlan-raw-device eth0) would stay on a bridge port, bypassing the bridge. */
function vlanChild(files: InterfacesFile[], nic: string): { f: InterfacesFile; s: IfaceStanza } | null {
  for (const f of files) {
    for (const s of f.ifaces) {
      if (s.name.startsWith(`${nic}.`) && /^\d+$/.test(s.name.slice(nic.length + 1))) return { f, s };
      if (s.options.some((o) => /^vlan[-_]raw[-_]device$/.test(o.key) && o.value.trim() === nic)) return { f, s };
    }
  }
  return null;
}

export interface FaithfulContext {
  nic: string;
  bridge: string;
  /** The NIC that carries the default route now, from the kernel (or the root's proc/net/route). */
  defaultRouteNic?: string | null;
}

/**
 * Throws InputError (exit 2) for the first construct the move of `nic` onto `bridge` cannot carry
 * faithfully, naming its file and line; returns when every construct is one the move carries.
 */
export function checkIfupdownFaithful(files: InterfacesFile[], ctx: FaithfulContext): void {
  const { nic, bridge } = ctx;
  if (/^[^:]+\.\d+$/.test(nic) || nic.includes('@')) throw new InputError('error.nicIsVlanName', { nic });
  const member = membership(files, nic);
  if (member) throw new InputError(member.key, { ...where(member.f, member.line), nic, master: member.master });
  const child = vlanChild(files, nic);
  if (child) throw new InputError('error.nicHasVlanChild', { ...where(child.f, child.s.startLine), nic, vlan: child.s.name, bridge });
  const homes = files.filter((f) => f.ifaces.some((s) => s.name === nic || s.name.startsWith(`${nic}:`)));
  if (homes.length > 1) {
    const other = homes[1].ifaces.find((s) => s.name === nic || s.name.startsWith(`${nic}:`))!;
    throw new InputError('error.nicStanzasSplit', { ...where(homes[1], other.startLine), nic, first: homes[0].file });
  }
  const stanzas = files.flatMap((f) => f.ifaces.filter((s) => s.name === nic || s.name.startsWith(`${nic}:`)).map((s) => ({ f, s })));
  for (const { f, s } of stanzas) {
    // ifupdown copies the template's options in when it reads the file: moving only the stanza's
    // own lines would lose them (MTU, hwaddress, …) on the bridge or the port.
    if (s.inherits || s.family === 'inherits') throw new InputError('error.ifupdownInherits', { ...where(f, s.startLine), nic: s.name, parent: s.inherits ?? s.method });
    const option = s.options.find((o) => o.key === 'inherits');
    if (option) throw new InputError('error.ifupdownInherits', { ...where(f, option.line), nic: s.name, parent: option.value });
    if (!CARRIED_METHODS[s.family]?.test(s.method)) {
      throw new InputError('error.ifupdownMethodNotCarried', { ...where(f, s.startLine), nic: s.name, family: s.family, method: s.method });
    }
    for (const o of s.options) {
      if (HOOK.test(o.key) && namesNic(o.value, nic) && !/\b(ethtool|ip link set)\b/.test(o.value)) {
        throw new InputError('error.ifupdownHookNamesNic', { ...where(f, o.line), nic, bridge, hook: `${o.key} ${o.value}` });
      }
    }
  }
  const own = stanzas.filter(({ s }) => s.name === nic);
  const addressed = own.some(({ s }) => s.method !== 'manual');
  if (ctx.defaultRouteNic === nic && own.length > 0 && !addressed) {
    const { f, s } = own.find(({ s }) => s.family === 'inet') ?? own[0];
    throw new InputError('error.nicManualDefaultRoute', { ...where(f, s.startLine), nic });
  }
}

/**
 * IP aliases (`iface eth0:1 …`, `auto eth0:1`) become the bridge's (`xenbr0:1`): ifupdown adds an
 * alias's address to the device before the colon, which must be the bridge once the NIC is a port.
 * Their stanzas leave their place (nulled in `out`) and are returned renamed, to follow the
 * bridge's own stanza: an alias comes up after the device it lives on. Their names leave the
 * `auto`/`allow-*` lines and come back as `auto <bridge>:N` (a bridge is never hotplugged).
 */
export function takeAliases(file: InterfacesFile, out: (string | null)[], nic: string, bridge: string): string[] {
  const isAlias = (name: string) => name.startsWith(`${nic}:`);
  const renamed = (name: string) => `${bridge}:${name.slice(nic.length + 1)}`;
  const started = new Set<string>();
  for (const a of file.auto) {
    const aliases = a.names.filter(isAlias);
    if (aliases.length === 0) continue;
    aliases.forEach((n) => started.add(n));
    const rest = a.names.filter((n) => !isAlias(n));
    out[a.line] = rest.length ? `${a.kind} ${rest.join(' ')}` : null;
  }
  const block: string[] = [];
  for (const s of file.ifaces.filter((st) => isAlias(st.name))) {
    if (started.has(s.name)) block.push(`auto ${renamed(s.name)}`);
    block.push(file.lines[s.startLine].replace(s.name, renamed(s.name)));
    for (let i = s.startLine + 1; i <= s.endLine; i++) block.push(file.lines[i]);
    for (let i = s.startLine; i <= s.endLine; i++) out[i] = null;
  }
  return block;
}
