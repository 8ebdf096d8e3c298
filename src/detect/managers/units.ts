// What starts at boot on a root, read from its files only: systemd's enabled units (the symlinks
// `systemctl enable` makes under etc/systemd/system/*.wants/), SysV runlevel links (rc3.d, the
// xend era's chkconfig) and OpenRC runlevels (Alpine's /etc/runlevels/boot/networking).
import type { RootFs } from '../../system/rootfs.js';
import type { Evidence } from './types.js';
import { enabledAt } from './enabledUnits.js';

/** A SysV start link (/etc/rc.d/rc3.d/S10network) or an OpenRC runlevel entry for `script`, or null. */
export function initScriptLink(fs: RootFs, script: string): string | null {
  for (const base of ['/etc/rc.d', '/etc']) {
    for (const level of ['rc3.d', 'rc5.d', 'rc2.d', 'rcS.d']) {
      const dir = `${base}/${level}`;
      const hit = fs.list(dir).find((e) => new RegExp(`^S\\d+${script.replace(/[.-]/g, '\\$&')}$`).test(e));
      if (hit) return `${dir}/${hit}`;
    }
  }
  for (const level of ['boot', 'default', 'sysinit']) {
    const entry = `/etc/runlevels/${level}/${script}`;
    if (fs.info(entry)) return entry;
  }
  return null;
}

/** Enabled by any of those means: the evidence that names where, or null. */
export function startsAtBoot(fs: RootFs, unit: string, script?: string): Evidence | null {
  // systemd's enabling links (a unit masked to /dev/null is not enabled): enabledUnits.ts.
  const link = enabledAt(fs, unit);
  if (link) return { key: 'detect.why.unitEnabled', params: { unit, file: link } };
  const init = script ? initScriptLink(fs, script) : null;
  return init ? { key: 'detect.why.initScript', params: { script: script!, file: init } } : null;
}

/** The version of a Debian package from var/lib/dpkg/status, or null. */
export function dpkgVersion(fs: RootFs, pkg: string): string | null {
  const status = fs.readText('/var/lib/dpkg/status', { anyEncoding: true });
  if (!status) return null;
  for (const para of status.split(/\n\s*\n/)) {
    if (!new RegExp(`^Package: ${pkg.replace(/[.+]/g, '\\$&')}$`, 'm').test(para)) continue;
    if (!/^Status: .* installed$/m.test(para)) continue;
    return /^Version: (?:\d+:)?(\S+)$/m.exec(para)?.[1] ?? null;
  }
  return null;
}

/** Which package's file list (var/lib/dpkg/info/<pkg>.list, Alpine's lib/apk/db/installed) owns `file`. */
export function packageOwning(fs: RootFs, file: string, candidates: string[]): string | null {
  for (const pkg of candidates) {
    for (const list of [`/var/lib/dpkg/info/${pkg}.list`, `/var/lib/dpkg/info/${pkg}:amd64.list`]) {
      const text = fs.readText(list, { anyEncoding: true });
      if (text?.split('\n').some((l) => l === file || l === `/usr${file}`)) return pkg;
    }
  }
  // apk's database: P:<package>, then F:<dir> and R:<file> lines for each file it owns.
  const apk = fs.readText('/lib/apk/db/installed', { anyEncoding: true });
  if (apk) {
    const dir = file.slice(1, file.lastIndexOf('/'));
    const name = file.slice(file.lastIndexOf('/') + 1);
    for (const para of apk.split(/\n\s*\n/)) {
      const pkg = /^P:(.+)$/m.exec(para)?.[1];
      if (!pkg || !candidates.includes(pkg)) continue;
      let inDir = false;
      for (const line of para.split('\n')) {
        if (line.startsWith('F:')) inDir = line.slice(2) === dir || line.slice(2) === `usr/${dir}`;
        else if (line.startsWith('R:') && inDir && line.slice(2) === name) return pkg;
      }
    }
  }
  return null;
}
