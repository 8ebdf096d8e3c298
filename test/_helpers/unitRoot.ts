// A dom0's files held in memory, as backends read them: read(path) and list(dir), for table tests
// of backends whose configuration is a directory of files (networkd, wicked, NixOS).
import path from 'node:path';
import type { BackendInputs } from '../../src/backends/types.js';
import type { ReadFile } from '../../src/model/plan.js';

export function memoryFiles(files: Record<string, string>, linkMacs: Record<string, string> = {}): BackendInputs {
  const read: ReadFile = (p) => (p in files ? { text: files[p], mode: '0644' } : null);
  const list = (dir: string) => Object.keys(files).filter((f) => path.posix.dirname(f) === dir).map((f) => path.posix.basename(f)).sort();
  return { read, list, interfaces: [], linkMac: (name) => linkMacs[name] ?? null };
}
