// Recipe shadow-bridge on ifupdown (seed 001 lines 134–139 the xl way): a systemd .link file
// names the NIC s<nic> at boot by its permanent MAC (udev, also in the initramfs), and the NIC's
// own stanza in interfaces(5) gains bridge_ports s<nic>: every address, route and `up` hook written
// for the NIC now applies to the bridge of that name.
import type { IfaceStanza, InterfacesFile } from '../parse/interfaces.js';
import type { ReadFile } from '../model/plan.js';
import { InputError } from '../errors.js';
import { findNicFile, indentOf, staysWithNic } from './ifupdown.js';
import { ownedFile, shadowRenameCommands, type BackendRender, type ShadowRename } from './types.js';

export const linkFilePath = (s: ShadowRename) => `/etc/systemd/network/10-xen-net-wizard-${s.port}.link`;

/** The rename at boot, by the NIC's permanent address: a bridge (which has none) never matches. */
export function renderLinkFile(s: ShadowRename): string {
  return [
    `# xen-net-wizard: recipe shadow-bridge (seed 001 lines 134–136). The NIC with this permanent`,
    `# address is named ${s.port}, so that ${s.nic} is the bridge over it (/etc/network/interfaces).`,
    '[Match]',
    `PermanentMACAddress=${s.mac}`,
    '',
    '[Link]',
    `Name=${s.port}`,
    '',
  ].join('\n');
}

const portsOf = (st: IfaceStanza) =>
  st.options.filter((o) => o.key === 'bridge_ports' || o.key === 'bridge-ports').flatMap((o) => o.value.split(/\s+/));

export function isShadowMigrated(files: InterfacesFile[], s: ShadowRename): boolean {
  return files.some((f) => f.ifaces.some((st) => st.name === s.nic && portsOf(st).includes(s.port)));
}

/**
 * The NIC's stanzas stay where they are and keep their addressing (the bridge has the NIC's name);
 * the first gains the bridge options; link-level options (mtu, hwaddress, ethtool hooks) move to a
 * new `iface s<nic> inet manual` stanza; `allow-hotplug <nic>` becomes `auto` (a bridge is never
 * hotplugged). Everything else is byte-identical.
 */
export function renderShadowInterfaces(file: InterfacesFile, s: ShadowRename): string {
  const stanzas = file.ifaces.filter((st) => st.name === s.nic && st.family !== 'can');
  if (stanzas.length === 0) throw new InputError('error.nicNotInInterfaces', { file: file.file, nic: s.nic });
  const indent = indentOf(file, stanzas[0]);
  const out: (string | null)[] = [...file.lines];
  const portLines: string[] = [];
  for (const st of stanzas) {
    for (const o of st.options) {
      if (o.key === 'mtu') {
        // The bridge takes the NIC's MTU (it is the NIC's stanza) and the port needs it too.
        portLines.push(`${indent}mtu ${o.value}`);
      } else if (staysWithNic(o.key, o.value)) {
        portLines.push(`${indent}${o.key} ${o.value.replaceAll(s.nic, s.port)}`.trimEnd());
        out[o.line] = null;
      }
    }
  }
  const first = stanzas[0];
  out[first.startLine] = [
    `# xen-net-wizard: recipe shadow-bridge (seed 001): ${s.nic} is a bridge over the NIC, which is named ${s.port} at boot`,
    file.lines[first.startLine],
  ].join('\n');
  const bridgeLines = [
    `${indent}bridge_ports ${s.port}`,
    `${indent}bridge_hw ${s.mac}`,
    `${indent}bridge_stp off`,
    `${indent}bridge_fd 0`,
    `${indent}bridge_maxwait 0`,
  ];
  out[first.endLine] = [out[first.endLine], ...bridgeLines].filter((l) => l !== null).join('\n');
  if (portLines.length) {
    const last = Math.max(...stanzas.map((st) => st.endLine));
    out[last] = [out[last], '', `iface ${s.port} inet manual`, ...portLines].filter((l) => l !== null).join('\n');
  }
  for (const a of file.auto) {
    if (a.kind === 'allow-hotplug' && a.names.includes(s.nic)) {
      const rest = a.names.filter((n) => n !== s.nic);
      out[a.line] = [...(rest.length ? [`allow-hotplug ${rest.join(' ')}`] : []), `auto ${s.nic}`].join('\n');
    }
  }
  return out.filter((l): l is string => l !== null).join('\n');
}

export function renderShadowIfupdown(s: ShadowRename, files: InterfacesFile[], read: ReadFile): BackendRender {
  const link = ownedFile(linkFilePath(s), '0644', renderLinkFile(s), read);
  if (isShadowMigrated(files, s)) return { files: link ? [link] : [], commands: [] };
  const home = findNicFile(files, s.nic);
  if (!home) throw new InputError('error.nicNotInInterfaces', { file: '/etc/network/interfaces', nic: s.nic });
  const after = renderShadowInterfaces(home, s);
  return {
    files: [...(link ? [link] : []), { path: home.file, mode: read(home.file)?.mode ?? '0644', before: home.text, after }],
    // ifdown reads the method from the file: it runs while the file still describes the NIC.
    commands: shadowRenameCommands(s, [s.nic]),
  };
}

