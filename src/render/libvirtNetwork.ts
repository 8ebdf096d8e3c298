// libvirt networks a recipe defines (seed 000 lines 182–191: virnet1 without <forward>; lines
// 414–424: virbr0 with <forward mode='route' dev='eth1'/>): the XML in the guide's layout and the
// `virsh net-define / net-autostart / net-start` steps, with their on-disk effect for --root runs.
import type { LibvirtNetworkSpec } from '../model/topology.js';
import type { LibvirtNetwork } from '../model/host.js';
import { parsedFile, type ReadFile, type Step } from '../model/plan.js';
import { commandStep, fileStep } from '../model/steps.js';
import { LIBVIRT_NETWORKS_DIR } from '../detect/libvirtNetworks.js';
import { parseNetworkXml } from '../parse/libvirtXml.js';

/** Where the guide keeps network definitions before `virsh net-define` (seed 000 line 182). */
export const VIRNET_DIR = '/etc/virnet';

export function prefixToNetmask(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 0xff).join('.');
}

/**
 * seed 000 lines 184–189, with one correction: the guide writes forwardDelay='0', which libvirt's
 * schema rejects (the attribute is `delay`, in seconds; libvirt ignores unknown attributes only in
 * old versions). The layout and quoting are the guide's.
 */
export function renderNetworkXml(spec: LibvirtNetworkSpec): string {
  const forward = spec.forward
    ? [`  <forward mode='${spec.forward.mode}'${spec.forward.dev ? ` dev='${spec.forward.dev}'` : ''}/>`]
    : [];
  return [
    '<network>',
    `  <name>${spec.name}</name>`,
    ...forward,
    `  <bridge name="${spec.bridge}" stp="off" delay='0' />`,
    ...(spec.dns === false ? ["  <dns enable='no'/>"] : []),
    `  <ip address="${spec.address.ip}" netmask="${prefixToNetmask(spec.address.prefix)}">`,
    '  </ip>',
    '</network>',
    '',
  ].join('\n');
}

/** True when the network libvirt has now is already what the spec asks for. */
export function networkMatches(existing: LibvirtNetwork | undefined, spec: LibvirtNetworkSpec, read: ReadFile): boolean {
  if (!existing) return false;
  const file = read(existing.path);
  if (!file) return false;
  const net = parsedFile(file, existing.path, parseNetworkXml);
  const ip = net.ips[0];
  const sameForward = (spec.forward?.mode ?? null) === net.forwardMode && (spec.forward?.dev ?? null) === (spec.forward ? net.forwardDev : null);
  // parseNetworkXml does not model <dns>; a disabled DNS must be in the file libvirt has.
  const sameDns = spec.dns !== false || /<dns\s+enable\s*=\s*['"]no['"]/.test(file.text);
  return net.bridge === spec.bridge && sameForward && sameDns
    && ip?.address === spec.address.ip
    && (ip.prefix === String(spec.address.prefix) || ip.netmask === prefixToNetmask(spec.address.prefix))
    && existing.autostart === spec.autostart;
}

/**
 * Steps for one network: write /etc/virnet/NAME.xml, `virsh net-destroy` a running older
 * definition (seed 000 line 420), `virsh net-define` (undo: undefine a new one, re-define the old
 * XML from stdin), `net-autostart`, `net-start`. Offline, define and autostart do what libvirt does
 * on disk: its own copy under /etc/libvirt/qemu/networks and the autostart link.
 */
export function libvirtDefineSteps(spec: LibvirtNetworkSpec, networks: LibvirtNetwork[], read: ReadFile): Step[] {
  const existing = networks.find((n) => n.name === spec.name);
  if (networkMatches(existing, spec, read)) return [];
  const xml = renderNetworkXml(spec);
  const source = `${VIRNET_DIR}/${spec.name}.xml`;
  const current = read(source);
  const steps: Step[] = [];
  if (current?.text !== xml) steps.push(fileStep({ path: source, mode: current?.mode ?? '0644', before: current?.text ?? null, after: xml }));
  const libvirtCopy = `${LIBVIRT_NETWORKS_DIR}/${spec.name}.xml`;
  const old = existing ? read(existing.path) : null;
  if (existing) {
    steps.push(commandStep(`virsh-net-destroy-${spec.name}`, 'after-edit', ['virsh', 'net-destroy', spec.name], {
      undo: ['virsh', 'net-start', spec.name],
      title: { key: 'step.netDestroy', params: { network: spec.name } },
    }));
  }
  steps.push(commandStep(`virsh-net-define-${spec.name}`, 'after-edit', ['virsh', 'net-define', source], {
    ...(old ? { undo: ['virsh', 'net-define', '/dev/stdin'], undoInput: old.text } : { undo: ['virsh', 'net-undefine', spec.name] }),
    title: { key: 'step.netDefine', params: { network: spec.name, path: source } },
    offline: { path: libvirtCopy, mode: old?.mode ?? '0600', before: old?.text ?? null, after: xml },
  }));
  const autostartPath = `${LIBVIRT_NETWORKS_DIR}/autostart/${spec.name}.xml`;
  if (spec.autostart && !existing?.autostart) {
    steps.push(commandStep(`virsh-net-autostart-${spec.name}`, 'after-edit', ['virsh', 'net-autostart', spec.name], {
      undo: ['virsh', 'net-autostart', spec.name, '--disable'],
      title: { key: 'step.netAutostart', params: { network: spec.name } },
      offline: { path: autostartPath, mode: '0777', before: null, after: null, createLink: libvirtCopy },
    }));
  }
  steps.push(commandStep(`virsh-net-start-${spec.name}`, 'after-edit', ['virsh', 'net-start', spec.name], {
    undo: ['virsh', 'net-destroy', spec.name],
    title: { key: 'step.netStart', params: { network: spec.name } },
  }));
  return steps;
}
