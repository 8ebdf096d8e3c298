// Read access to a dom0 filesystem rooted at --root. Paths in and out are dom0 paths
// ("/etc/xen/centos51u"); only this module knows where the root really is.
import fs from 'node:fs';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { InputError } from '../errors.js';

/** Far above any network or guest config (the corpus's largest is ~40 KB); a 50 MB file is a mistake. */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

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

  /**
   * A config's text, or null when it is absent. A file that is there but cannot be used is bad
   * input (exit 2), never "absent": unreadable, a directory, a dangling symlink, over
   * MAX_CONFIG_BYTES, or text that is not UTF-8 (an edit would not keep its bytes). Files with
   * NUL bytes are returned as they are: binaries, which callers skip. `anyEncoding` skips the UTF-8
   * check, for a first look at a file that may not be ours to edit at all.
   */
  readText(p: string, opts: { anyEncoding?: boolean } = {}): string | null {
    const real = this.resolve(p);
    let data: Buffer;
    try {
      const st = fs.statSync(real);
      if (st.isDirectory()) throw new InputError('error.fileIsDirectory', { file: p });
      if (st.size > MAX_CONFIG_BYTES) throw new InputError('error.fileTooLarge', { file: p, size: st.size, limit: MAX_CONFIG_BYTES });
      data = fs.readFileSync(real);
    } catch (err) {
      if (err instanceof InputError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && this.info(p)?.isSymlink) throw new InputError('error.danglingSymlink', { file: p, target: this.readLink(p) ?? '' });
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw new InputError('error.fileUnreadable', { file: p, reason: code ?? (err as Error).message });
    }
    const text = data.toString('utf8');
    if (!opts.anyEncoding && !data.includes(0) && !isUtf8(data)) {
      throw new InputError('error.notUtf8', { file: p, line: text.slice(0, text.indexOf('\uFFFD')).split('\n').length });
    }
    return text;
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
