// The bond in RHEL ifcfg files: ifcfg-<bond> with BONDING_OPTS and the addressing of the slave
// that had it, each slave MASTER=/SLAVE=yes — bonding.txt's "Configuration with Initscripts
// Support" (the CentOS 5.3 copy seed 000 line 309 points to) and initscripts' sysconfig.txt.
// xend (CentOS 5): the bond carries the address; network-bridge-bonding moves it to the bridge.
// xl (RHEL-like): the bond gets BRIDGE=, ifcfg-<bridge> is TYPE=Bridge with the address (seed 003).
// Any name is a bond to initscripts when its file has BONDING_OPTS (network-functions,
// is_available → install_bonding_driver), so p<bridge> needs no TYPE=.
import type { BondSpec } from '../model/topology.js';
import type { FileChange, ReadFile } from '../model/plan.js';
import { IFCFG_DIR } from '../detect/profile.js';
import { getVar, parseIfcfg, removeVar, setVar, type IfcfgFile } from '../parse/ifcfg.js';
import { ADDRESSING, renderIfcfgMigration } from './ifcfg.js';

export interface IfcfgBondSpec {
  bond: BondSpec;
  /** The name the bond is created with at boot: on xend the bridge's, renamed by network-bridge-bonding. */
  device: string;
  /** xl: the bridge the bond is a port of (its ifcfg file is written too); xend: null. */
  bridge: string | null;
}

const ifcfgPath = (name: string) => `${IFCFG_DIR}/ifcfg-${name}`;

function slaveText(file: IfcfgFile | null, nic: string, master: string): string {
  // bonding.txt's slave file: DEVICE, USERCTL=no, ONBOOT=yes, MASTER=, SLAVE=yes, BOOTPROTO=none.
  let text = file?.text ?? `DEVICE=${nic}\n`;
  for (const key of new Set((file?.vars ?? []).filter((v) => ADDRESSING.test(v.key) || v.key === 'BRIDGE').map((v) => v.key))) text = removeVar(text, ifcfgPath(nic), key);
  for (const [k, v] of [['BOOTPROTO', 'none'], ['ONBOOT', 'yes'], ['MASTER', master], ['SLAVE', 'yes'], ['USERCTL', 'no']]) {
    text = setVar(text, ifcfgPath(nic), k, v);
  }
  return text;
}

export function renderIfcfgBond(spec: IfcfgBondSpec, read: ReadFile): FileChange[] {
  const { bond, device, bridge } = spec;
  const slaves = bond.slaves.map((nic) => {
    const raw = read(ifcfgPath(nic));
    return { nic, raw, file: raw ? parseIfcfg(raw.text, ifcfgPath(nic)) : null };
  });
  const masterPath = ifcfgPath(device);
  const masterRaw = read(masterPath);
  const changes: FileChange[] = [];
  const put = (path: string, raw: { text: string; mode: string } | null, after: string) => {
    if (raw?.text !== after) changes.push({ path, mode: raw?.mode ?? '0644', before: raw?.text ?? null, after });
  };
  // Already a slave of this bond: the addressing left it on the first run; keep what is there.
  const addressed = slaves.find((s) => s.file && getVar(s.file, 'MASTER') !== device && s.file.vars.some((v) => /^IPADDR\d*$/.test(v.key) || (v.key === 'BOOTPROTO' && /dhcp/.test(v.value))));
  const opts = `BONDING_OPTS="mode=${bond.mode} miimon=${bond.miimon}"`;
  if (!addressed && masterRaw) {
    // Second run: the master exists; only its options may have changed.
    const master = parseIfcfg(masterRaw.text, masterPath);
    const after = getVar(master, 'BONDING_OPTS') !== undefined
      ? setVar(masterRaw.text, masterPath, 'BONDING_OPTS', `mode=${bond.mode} miimon=${bond.miimon}`)
      : masterRaw.text + (masterRaw.text.endsWith('\n') ? '' : '\n') + opts + '\n';
    put(masterPath, masterRaw, after);
  } else if (bridge) {
    const from = addressed?.file ?? parseIfcfg('BOOTPROTO=none\n', masterPath);
    const { bridgeText } = renderIfcfgMigration(from, { nic: device, bridge });
    put(masterPath, masterRaw, [`DEVICE=${device}`, 'ONBOOT=yes', 'BOOTPROTO=none', 'USERCTL=no', opts, `BRIDGE=${bridge}`, 'NM_CONTROLLED=no', ''].join('\n'));
    const bridgePath = ifcfgPath(bridge);
    put(bridgePath, read(bridgePath), bridgeText);
  } else {
    const moved = (addressed?.file?.vars ?? []).filter((v) => ADDRESSING.test(v.key)).map((v) => `${v.key}=${v.quote}${v.value}${v.quote}`);
    const proto = addressed?.file ? (getVar(addressed.file, 'BOOTPROTO') ?? 'none') : 'none';
    // The order of bonding.txt's example: DEVICE, addressing, ONBOOT, BOOTPROTO, USERCTL, options.
    put(masterPath, masterRaw, [`DEVICE=${device}`, ...moved, 'ONBOOT=yes', `BOOTPROTO=${proto}`, 'USERCTL=no', opts, ''].join('\n'));
  }
  for (const s of slaves) put(ifcfgPath(s.nic), s.raw, slaveText(s.file, s.nic, device));
  return changes;
}
