// NetworkManager: enabled as a unit, it brings up the profiles of its settings plugins — keyfiles
// (/etc/NetworkManager/system-connections, always on) and, where the plugins= line or RHEL's
// build says so, ifcfg-rh (ifcfg-* without NM_CONTROLLED=no). Its version decides the keyfile
// keys the backend writes (port-type/controller from 1.46, slave-type/master before).
import type { RootFs } from '../../system/rootfs.js';
import type { Evidence, ManagerProbe } from './types.js';
import { keyfileGet, parseKeyfile } from '../../parse/nmKeyfile.js';
import { getVar, parseIfcfg } from '../../parse/ifcfg.js';
import { parseOnce } from '../hostFiles.js';
import { ifcfgFiles } from './ifcfg.js';
import { dpkgVersion, startsAtBoot } from './units.js';

export const NM_CONNECTIONS = '/etc/NetworkManager/system-connections';
const NM_CONF = '/etc/NetworkManager/NetworkManager.conf';
const LIB_DIRS = ['/usr/lib64/NetworkManager', '/usr/lib/x86_64-linux-gnu/NetworkManager', '/usr/lib/NetworkManager'];

/** Keyfile names NetworkManager reads: any but its own temporary and backup names (nm-keyfile-utils). */
export function keyfileNames(fs: RootFs): string[] {
  return fs.list(NM_CONNECTIONS).filter((e) => !e.startsWith('.') && !/(~|\.(bak|orig|rej|rpmnew|rpmsave|swp)|\.tmp.*)$/.test(e));
}

/** plugins= of [main], the last file of NetworkManager.conf and conf.d/*.conf that sets it; null when none does. */
function plugins(fs: RootFs): string[] | null {
  let value: string | null = null;
  const confs = [NM_CONF, ...fs.list('/etc/NetworkManager/conf.d').filter((e) => e.endsWith('.conf')).map((e) => `/etc/NetworkManager/conf.d/${e}`)];
  for (const file of confs) {
    const text = fs.readText(file, { anyEncoding: true });
    if (text === null) continue;
    let main = false;
    for (const line of text.split('\n')) {
      const head = /^\s*\[([^\]]+)\]/.exec(line);
      if (head) main = head[1] === 'main';
      const m = main ? /^\s*plugins\s*=\s*(.*)$/.exec(line) : null;
      if (m) value = m[1].trim();
    }
  }
  return value === null ? null : value.split(/[,;]/).map((p) => p.trim()).filter(Boolean);
}

/** NetworkManager's version: dpkg's status, else the versioned plugin directory (…/NetworkManager/1.46.0-20.el9). */
export function nmVersion(fs: RootFs): string | null {
  const deb = dpkgVersion(fs, 'network-manager');
  if (deb) return deb;
  for (const dir of LIB_DIRS) {
    const v = fs.list(dir).find((e) => /^\d+\.\d+\.\d+/.test(e));
    if (v) return v;
  }
  return null;
}

/** The ifcfg-rh plugin is loaded: named in plugins=, or (no plugins= at all) built in, as on RHEL 8/9. */
function ifcfgRhLoaded(fs: RootFs, list: string[] | null): boolean {
  if (list) return list.includes('ifcfg-rh');
  return LIB_DIRS.some((dir) => fs.list(dir).some((v) => fs.exists(`${dir}/${v}/libnm-settings-plugin-ifcfg-rh.so`)));
}

export const probeNetworkManager: ManagerProbe = (fs) => {
  const keyfiles = keyfileNames(fs).map((e) => `${NM_CONNECTIONS}/${e}`);
  const boot = startsAtBoot(fs, 'NetworkManager.service');
  if (keyfiles.length === 0 && !boot && !fs.exists(NM_CONF)) return null;
  const version = nmVersion(fs);
  const evidence: Evidence[] = [];
  const nics = new Set<string>();
  const files: string[] = [];
  for (const file of keyfiles) {
    const text = fs.readText(file);
    if (text === null) continue;
    const kf = parseOnce(fs, parseKeyfile, file, text);
    const name = keyfileGet(kf, 'connection', 'interface-name');
    files.push(file);
    if (name) {
      nics.add(name);
      evidence.push({ key: 'detect.why.namesNics', params: { file, nics: name } });
    }
  }
  const list = plugins(fs);
  if (list) evidence.push({ key: 'detect.why.nmPlugins', params: { plugins: list.join(',') } });
  if (ifcfgRhLoaded(fs, list)) {
    for (const [device, file] of ifcfgFiles(fs)) {
      const ifcfg = parseOnce(fs, parseIfcfg, file, fs.readText(file)!);
      if ((getVar(ifcfg, 'NM_CONTROLLED') ?? 'yes').toLowerCase() === 'no') continue;
      nics.add(device);
      files.push(file);
      evidence.push({ key: 'detect.why.ifcfgRh', params: { file, nics: device } });
    }
  }
  if (version) evidence.push({ key: 'detect.why.package', params: { pkg: 'NetworkManager', version } });
  if (boot) evidence.push(boot);
  return { backend: 'networkmanager', active: boot !== null, nics: [...nics], evidence, files, ...(version ? { version } : {}) };
};
