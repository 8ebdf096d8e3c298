// Read access to a dom0 filesystem rooted at --root. Paths in and out are dom0 paths
// ("/etc/xen/centos51u"); only this module knows where the root really is.
import fs from 'node:fs';
import path from 'node:path';

export interface FileInfo {
  mode: number;
  uid: number;
  gid: number;
  isSymlink: boolean;
  isDirectory: boolean;
  isFile: boolean;
}

export class RootFs {
  constructor(readonly root: string) {}

  /** The real path of a dom0 path. Refuses paths that climb out of the root. */
  resolve(dom0Path: string): string {
    const normal = path.posix.normalize('/' + dom0Path);
    return path.join(this.root, normal);
  }

  exists(p: string): boolean {
    try {
      fs.lstatSync(this.resolve(p));
      return true;
    } catch {
      return false;
    }
  }

  info(p: string): FileInfo | null {
    try {
      const st = fs.lstatSync(this.resolve(p));
      return {
        mode: st.mode & 0o7777, uid: st.uid, gid: st.gid,
        isSymlink: st.isSymbolicLink(), isDirectory: st.isDirectory(), isFile: st.isFile(),
      };
    } catch {
      return null;
    }
  }

  readText(p: string): string | null {
    try {
      return fs.readFileSync(this.resolve(p), 'utf8');
    } catch {
      return null;
    }
  }

  readLink(p: string): string | null {
    try {
      return fs.readlinkSync(this.resolve(p));
    } catch {
      return null;
    }
  }

  /** Entry names of a directory, sorted; [] when it is absent. */
  list(p: string): string[] {
    try {
      return fs.readdirSync(this.resolve(p)).sort();
    } catch {
      return [];
    }
  }
}
