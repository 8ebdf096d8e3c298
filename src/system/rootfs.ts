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
  /** Bytes, as lstat says (a symlink's own length). */
  size: number;
}

/** An absolute dom0 path that normalizing leaves as it is: no empty, `.` or `..` segment. */
const CLEAN_PATH = /^(?:\/(?!\.\.?(?:\/|$))[^/]+)+$/;

export class RootFs {
  /** What path.join(root, '/' + p) puts before p's first segment (the root, normalized). */
  private readonly prefix: string;

  constructor(readonly root: string) {
    this.prefix = path.join(root, '/x').slice(0, -1);
  }

  /** The real path of a dom0 path. Refuses paths that climb out of the root. */
  resolve(dom0Path: string): string {
    // The common case without two normalizations per file (a plan over 1,000 guests resolves
    // each guest's path several times); test/system/rootfsResolve.test.ts proves it the same.
    if (CLEAN_PATH.test(dom0Path)) return this.prefix + dom0Path.slice(1);
    const normal = path.posix.normalize('/' + dom0Path);
    return path.join(this.root, normal);
  }

  exists(p: string): boolean {
    try {
      return fs.lstatSync(this.resolve(p), { throwIfNoEntry: false }) !== undefined;
    } catch {
      return false;
    }
  }

  info(p: string): FileInfo | null {
    try {
      // An absent file is an answer, not an exception (detection asks for many that are not there).
      const st = fs.lstatSync(this.resolve(p), { throwIfNoEntry: false });
      if (!st) return null;
      return {
        mode: st.mode & 0o7777, uid: st.uid, gid: st.gid,
        isSymlink: st.isSymbolicLink(), isDirectory: st.isDirectory(), isFile: st.isFile(), size: st.size,
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
    const data = this.readBytes(p);
    return data === null ? null : decodeText(p, data, opts);
  }

  /**
   * A file's bytes, or null when it is absent; refused as readText says. The one read of a file's
   * content. `known`: what info() said of it just before, if the caller asked: a regular file's
   * lstat is its fstat, so it needs no second stat (detection looks at every guest file first).
   */
  readBytes(p: string, known?: FileInfo | null): Buffer | null {
    const real = this.resolve(p);
    let fd: number | undefined;
    try {
      // open + fstat + read: the checks of a stat before reading, with half the system calls
      // (a plan over 10,000 guests reads 10,000 files).
      fd = fs.openSync(real, 'r');
      let size: number;
      if (known?.isFile && !known.isSymlink && typeof known.size === 'number') size = known.size;
      else {
        const st = fs.fstatSync(fd);
        if (st.isDirectory()) throw new InputError('error.fileIsDirectory', { file: p });
        size = st.size;
      }
      if (size > MAX_CONFIG_BYTES) throw new InputError('error.fileTooLarge', { file: p, size, limit: MAX_CONFIG_BYTES });
      return readAll(fd, size);
    } catch (err) {
      if (err instanceof InputError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && this.info(p)?.isSymlink) throw new InputError('error.danglingSymlink', { file: p, target: this.readLink(p) ?? '' });
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw new InputError('error.fileUnreadable', { file: p, reason: code ?? (err as Error).message });
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
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

/** The whole file behind `fd`, as readFileSync reads it: `size` bytes, or to the end when fstat says 0 (/proc). */
function readAll(fd: number, size: number): Buffer {
  if (size > 0) {
    const data = Buffer.allocUnsafe(size);
    let pos = 0;
    for (let n = -1; n !== 0 && pos < size; pos += n) n = fs.readSync(fd, data, pos, size - pos, null);
    return pos < size ? data.subarray(0, pos) : data;
  }
  const chunks: Buffer[] = [];
  for (;;) {
    const chunk = Buffer.allocUnsafe(8192);
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(chunks);
    chunks.push(chunk.subarray(0, n));
  }
}

/** A file's bytes as text; not UTF-8 (and no NUL, so not a binary) is bad input unless `anyEncoding`. */
export function decodeText(p: string, data: Buffer, opts: { anyEncoding?: boolean } = {}, text = data.toString('utf8')): string {
  if (!opts.anyEncoding && !data.includes(0) && !isUtf8(data)) {
    throw new InputError('error.notUtf8', { file: p, line: text.slice(0, text.indexOf('\uFFFD')).split('\n').length });
  }
  return text;
}
