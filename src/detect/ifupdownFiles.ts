// /etc/network/interfaces and the parts it sources (interfaces.d/*), parsed, in ifupdown's order.
import path from 'node:path';
import type { RootFs } from '../system/rootfs.js';
import { parseInterfaces, type InterfacesFile } from '../parse/interfaces.js';
import { parseOnce } from './hostFiles.js';

export const INTERFACES = '/etc/network/interfaces';

function globOne(fs: RootFs, pattern: string): string[] {
  const dir = path.posix.dirname(pattern);
  const base = path.posix.basename(pattern);
  if (!base.includes('*') && !base.includes('?')) return fs.exists(pattern) ? [pattern] : [];
  const re = new RegExp('^' + base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return fs.list(dir).filter((e) => re.test(e)).map((e) => `${dir}/${e}`);
}

/** run-parts naming rules, which ifupdown uses for source-directory. */
const RUN_PARTS_NAME = /^[a-zA-Z0-9_-]+$/;

export function readInterfacesFiles(fs: RootFs): InterfacesFile[] {
  const result: InterfacesFile[] = [];
  const visit = (file: string, depth: number) => {
    if (depth > 8 || result.some((f) => f.file === file)) return;
    // A directory matched by a `source` glob is skipped, as ifupdown skips it.
    if (fs.info(file)?.isDirectory) return;
    const text = fs.readText(file);
    if (text === null) return;
    const parsed = parseOnce(fs, parseInterfaces, file, text);
    result.push(parsed);
    for (const src of parsed.sources) {
      const pattern = path.posix.resolve(path.posix.dirname(file), src.pattern);
      const files = src.kind === 'source'
        ? globOne(fs, pattern)
        : fs.list(pattern).filter((e) => RUN_PARTS_NAME.test(e)).map((e) => `${pattern}/${e}`);
      for (const f of files) visit(f, depth + 1);
    }
  };
  visit(INTERFACES, 0);
  return result;
}
