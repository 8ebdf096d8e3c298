// xend artifacts of recipe internal-dummy (seed 000 lines 209–249): the dummy module in
// /etc/modprobe.conf, ifcfg-dummy0 with a fixed 00:16:3e MACADDR, and the wrapper with two
// network-bridge calls and the ip_forward tail. Each laid out exactly as the guide prints it.
import { parsedFile, type FileChange, type ReadFile } from '../../model/plan.js';
import type { BridgeSpec, DummySpec, PortedBridge } from '../../model/topology.js';
import { IFCFG_DIR } from '../../detect/profile.js';
import { singleBridgeWrapper, type WrapperSpec } from '../../render/xend.js';
import { parseIfcfg, getVar } from '../../parse/ifcfg.js';
// ifcfg on CentOS 5 takes NETMASK= (seed 000 line 223), not PREFIX=.
import { prefixToNetmask } from '../../render/libvirtNetwork.js';

export const MODPROBE_CONF = '/etc/modprobe.conf';

/**
 * seed 000 lines 213–214: `alias dummy0 dummy` and `options dummy numdummies=1`, appended when
 * missing. An `options dummy` line that already asks for one dummy or more is kept as it is.
 */
export function renderModprobeConf(dummy: DummySpec, read: ReadFile): FileChange | null {
  const file = read(MODPROBE_CONF);
  const before = file?.text ?? '';
  const lines = before.split('\n');
  const words = (l: string) => l.replace(/#.*/, '').trim().split(/\s+/);
  const alias = lines.some((l) => { const w = words(l); return w[0] === 'alias' && w[1] === dummy.name && w[2] === 'dummy'; });
  const options = lines.some((l) => {
    const w = words(l);
    const n = w.find((x) => x.startsWith('numdummies='));
    return w[0] === 'options' && w[1] === 'dummy' && n !== undefined && Number(n.slice('numdummies='.length)) >= Number(dummy.name.replace(/^\D+/, '')) + 1;
  });
  if (alias && options) return null;
  const add = [...(alias ? [] : [`alias ${dummy.name} dummy`]), ...(options ? [] : [`options dummy numdummies=${Number(dummy.name.replace(/^\D+/, '')) + 1}`])];
  const after = before + (before === '' || before.endsWith('\n') ? '' : '\n') + add.join('\n') + '\n';
  return { path: MODPROBE_CONF, mode: file?.mode ?? '0644', before: file ? before : null, after };
}

export const ifcfgPath = (name: string) => `${IFCFG_DIR}/ifcfg-${name}`;

/** The MACADDR an existing ifcfg-dummy0 already gives (kept by `internal.mac: "auto"`). */
export function existingDummyMac(name: string, read: ReadFile): string | null {
  const file = read(ifcfgPath(name));
  if (!file) return null;
  return getVar(parsedFile(file, ifcfgPath(name), parseIfcfg), 'MACADDR')?.toLowerCase() ?? null;
}

/**
 * seed 000 lines 218–227, in the guide's order. The address is dom0's side of the internal
 * segment (network-bridge moves it onto the veth that stands for dummy0); without one, dom0 has
 * none there and BOOTPROTO=none. MACADDR is never 00:00:00:00:00:00 (line 216).
 */
export function renderIfcfgDummy(dummy: DummySpec, address: BridgeSpec['address'], read: ReadFile): FileChange | null {
  const path = ifcfgPath(dummy.name);
  const file = read(path);
  const text = [
    `DEVICE=${dummy.name}`,
    'TYPE=Ethernet',
    'ONBOOT=yes',
    `BOOTPROTO=${address ? 'static' : 'none'}`,
    ...(address ? [`IPADDR=${address.ip}`, `NETMASK=${prefixToNetmask(address.prefix)}`] : []),
    `MACADDR=${dummy.mac}`,
    'USERCTL=no',
    'IPV6INIT=no',
    'PEERDNS=no',
    '',
  ].join('\n');
  if (file?.text === text) return null;
  return { path, mode: file?.mode ?? '0644', before: file?.text ?? null, after: text };
}

/**
 * seed 000 lines 243–249: the main bridge's call (vifnum=0), the internal bridge over dummy0 or
 * the real second NIC (vifnum=1, line 205: "dummy0 を作る過程を省くだけ"), then IP forwarding off,
 * which this layout does not need (line 241).
 */
export function internalWrapper(main: PortedBridge, internal: PortedBridge, forwardingOff: boolean): WrapperSpec {
  const base = singleBridgeWrapper(main);
  const antispoof = internal.antispoof ? 'yes' : 'no';
  return {
    ...base,
    calls: [...base.calls, { script: 'network-bridge', args: [['vifnum', '1'], ['bridge', internal.name], ['netdev', internal.nic], ['antispoof', antispoof]] }],
    after: forwardingOff ? ['echo 0 >/proc/sys/net/ipv4/ip_forward'] : [],
  };
}
