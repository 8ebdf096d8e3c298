// Random bytes from the kernel's generator, read from /dev/urandom (issue 11): node:crypto's
// randomBytes draws from the same source, but loading node:crypto costs a cold start ~5 ms and
// a plan needs three bytes per new MAC. node:crypto stays the fallback (no /dev in a chroot).
import fs from 'node:fs';
import { createRequire } from 'node:module';

const URANDOM = '/dev/urandom';
/** Bytes read from /dev/urandom at a time: a plan drawing MACs for 1,000 guests opens it once, not 1,000 times. */
const POOL_SIZE = 4096;
let pool: Uint8Array = new Uint8Array(0);
let used = 0;

/** `n` random bytes: /dev/urandom (through a pool), or node:crypto when it cannot be read whole. */
export function randomBytes(n: number, device = URANDOM): Uint8Array {
  if (device !== URANDOM || n > POOL_SIZE) return readDevice(n, device);
  if (pool.length - used < n) {
    pool = readDevice(POOL_SIZE, device);
    used = 0;
  }
  used += n;
  return pool.slice(used - n, used);
}

function readDevice(n: number, device: string): Uint8Array {
  const out = new Uint8Array(n);
  let fd: number | null = null;
  try {
    fd = fs.openSync(device, 'r');
    for (let got = 0; got < n; ) {
      const read = fs.readSync(fd, out, got, n - got, null);
      if (read <= 0) throw new Error(`${device}: short read`);
      got += read;
    }
    return out;
  } catch {
    return new Uint8Array(nodeCrypto().randomBytes(n));
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

let crypto: typeof import('node:crypto') | undefined;
/** node:crypto, loaded when first asked for (the journal's digests, NetworkManager's UUIDs). */
export const nodeCrypto = (): typeof import('node:crypto') => (crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));
