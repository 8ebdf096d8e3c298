// The bundled demo dom0 (`npm start` on a machine that is not a dom0): a temp copy per run,
// removed when the run ends unless --keep-demo. npm pack drops symlinks, so the ones the demo
// needs (libvirt's autostart link, /etc/xen/auto) are recreated from demo/symlinks.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageDir } from '../i18n.js';

const demoDir = path.join(packageDir, 'demo');

export interface DemoCopy {
  root: string;
  remove(): void;
  /** --keep-demo: leave it for the user. */
  keep(): void;
}

export function demoLinks(): Record<string, string> {
  return (JSON.parse(fs.readFileSync(path.join(demoDir, 'symlinks.json'), 'utf8')) as { links: Record<string, string> }).links;
}

export function copyDemo(): DemoCopy {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xen-net-wizard-demo-'));
  const remove = () => fs.rmSync(root, { recursive: true, force: true });
  // Also on an exit that skips the caller's finally (process.exit on EPIPE).
  process.once('exit', remove);
  fs.cpSync(path.join(demoDir, 'root'), root, { recursive: true, verbatimSymlinks: true });
  for (const [link, target] of Object.entries(demoLinks())) {
    const at = path.join(root, link);
    if (fs.lstatSync(at, { throwIfNoEntry: false })) continue;
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.symlinkSync(target, at);
  }
  return {
    root,
    remove: () => {
      process.removeListener('exit', remove);
      remove();
    },
    keep: () => process.removeListener('exit', remove),
  };
}
