// Real ifupdown (or ifupdown2) run inside a test's network namespace: a private mount namespace
// whose /etc and /usr are overlays carrying the unpacked packages (.cache/debs), with tmpfs on
// /run and /var/tmp — nothing of the machine's own configuration is read or written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEBS = path.join(PROJECT, '.cache/debs');

export interface Overlay { etc: string; usr: string; work: string }

/** The overlay's upper dirs, with interfaces.before / interfaces.after in /etc/network. */
export function overlayDirs(kind: 'ifupdown' | 'ifupdown2', files: { before: string; after: string }): Overlay {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `xnw-${kind}-`));
  const etc = path.join(base, 'etc');
  const usr = path.join(base, 'usr');
  fs.mkdirSync(path.join(etc, 'network/interfaces.d'), { recursive: true });
  fs.mkdirSync(usr, { recursive: true });
  fs.mkdirSync(path.join(base, 'work-etc'));
  fs.mkdirSync(path.join(base, 'work-usr'));
  fs.writeFileSync(path.join(etc, 'network/interfaces.before'), files.before);
  fs.writeFileSync(path.join(etc, 'network/interfaces.after'), files.after);
  const copy = (from: string, to: string) => fs.existsSync(from) && fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  if (kind === 'ifupdown') {
    copy(path.join(DEBS, 'ifupdown/etc/network'), path.join(etc, 'network'));
    copy(path.join(DEBS, 'bridge-utils/etc/network'), path.join(etc, 'network'));
    copy(path.join(DEBS, 'ifupdown/sbin'), path.join(usr, 'sbin'));
    copy(path.join(DEBS, 'bridge-utils/sbin'), path.join(usr, 'sbin'));
    copy(path.join(DEBS, 'bridge-utils/lib'), path.join(usr, 'lib'));
  } else {
    copy(path.join(DEBS, 'ifupdown2/etc/network'), path.join(etc, 'network'));
    copy(path.join(DEBS, 'ifupdown2/usr'), usr);
    copy(path.join(DEBS, 'ifupdown2/sbin'), path.join(usr, 'sbin'));
    // ifup/ifreload link to __main__.py, which the package ships 644 and dpkg's install makes executable.
    fs.chmodSync(path.join(usr, 'share/ifupdown2/__main__.py'), 0o755);
  }
  return { etc, usr, work: base };
}

/** A `sh -c` script for `unshare -m`: mount the overlays privately, then run `body`. */
export function privateMountScript(o: Overlay, body: string): string {
  return [
    'set -e',
    'mount --make-rprivate /',
    `mount -t overlay overlay -o lowerdir=/etc,upperdir=${o.etc},workdir=${o.work}/work-etc /etc`,
    `mount -t overlay overlay -o lowerdir=/usr,upperdir=${o.usr},workdir=${o.work}/work-usr /usr`,
    'mount -t tmpfs tmpfs /run && mkdir -p /run/network',
    'mount -t tmpfs tmpfs /var/tmp',
    body,
  ].join('\n');
}
