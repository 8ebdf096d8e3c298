// Faults of the disk under a run: no space, quota, a read-only filesystem, an I/O error. Every
// place a run writes (lock, journal, each config, the answers file) goes through `writePoint`, so
// a failure there is told by path and need instead of a stack trace, and tests can make any one
// of them fail (XNW_DISK_FAULT) without filling a real disk.
import fs from 'node:fs';

export const DISK_FAULT_CODES = ['ENOSPC', 'EDQUOT', 'EROFS', 'EIO'] as const;
export type DiskFaultCode = (typeof DISK_FAULT_CODES)[number];

export function isDiskFault(err: unknown): err is NodeJS.ErrnoException & { code: DiskFaultCode } {
  return (DISK_FAULT_CODES as readonly string[]).includes((err as NodeJS.ErrnoException)?.code ?? '');
}

/** ENOSPC and EDQUOT: the space our own writes take back can make a later write succeed. */
export function isOutOfSpace(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

interface Injection {
  at: number;
  /** Every write from `at` on fails (a filesystem gone read-only), not only that one. */
  sticky: boolean;
  code: DiskFaultCode;
}

let injection: Injection | null = null;
let trace: string | null = null;
let counter = 0;

/**
 * Test hooks, read once per command: XNW_DISK_FAULT=N:CODE fails the N-th write point (0-based)
 * with CODE, N+:CODE that one and every later one; XNW_WRITE_POINTS=FILE appends each write
 * point ("N KIND PATH") to FILE. The watchdog never calls this: its rollback is never injected.
 */
export function configureWritePoints(env: NodeJS.ProcessEnv): void {
  counter = 0;
  trace = env.XNW_WRITE_POINTS || null;
  const m = /^(\d+)(\+?):([A-Z]+)$/.exec(env.XNW_DISK_FAULT ?? '');
  injection = m && (DISK_FAULT_CODES as readonly string[]).includes(m[3])
    ? { at: Number(m[1]), sticky: m[2] === '+', code: m[3] as DiskFaultCode }
    : null;
}

export type WriteKind = 'mkdir' | 'write' | 'link' | 'remove' | 'lock' | 'in-place' | 'mark';

/** Called before each write of a run; throws the injected fault there, as the system call would. */
export function writePoint(file: string, kind: WriteKind = 'write'): void {
  const n = counter++;
  if (trace) fs.appendFileSync(trace, `${n} ${kind} ${file}\n`);
  if (injection && (n === injection.at || (injection.sticky && n > injection.at))) {
    const err = new Error(`${injection.code}: injected (XNW_DISK_FAULT), write '${file}'`) as NodeJS.ErrnoException;
    err.code = injection.code;
    err.path = file;
    err.syscall = 'write';
    throw err;
  }
}

/** The locale key of a fault's reason ("no space left on the device", …). */
export function reasonKey(code: string): string {
  return `disk.reason.${(DISK_FAULT_CODES as readonly string[]).includes(code) ? code : 'other'}`;
}

/** A write through a file descriptor fails without a path: the user is told the file it was for. */
export function blame(err: unknown, file: string): unknown {
  if (isDiskFault(err)) err.path = file;
  return err;
}
