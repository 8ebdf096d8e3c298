// Standard output without node's stream when it is a pipe or a file (issue 11). Making
// process.stdout loads node's stream modules — ~5 ms of a cold start, more than a plan of 100
// guests takes — and for a pipe or a file that stream only writes synchronously anyway (node's
// documented behaviour on Linux), so writing the fd straight keeps the order of everything
// written. A terminal, a socket or anything that cannot be written at once goes to the stream.
import fs from 'node:fs';

/** Linux's memory devices (/dev/null, /dev/zero, /dev/full): character devices that are no terminal. */
const MEM_MAJOR = 1;

/**
 * Whether `fd` is a pipe, a regular file or /dev/null: never a terminal, and written synchronously
 * by node. Other character devices may be terminals, which only node's tty module can tell (and
 * loading it is what this avoids).
 */
export function isPlainOutput(fd: number): boolean {
  try {
    const st = fs.fstatSync(fd);
    return st.isFIFO() || st.isFile() || (st.isCharacterDevice() && Math.floor(st.rdev / 256) % 4096 === MEM_MAJOR);
  } catch {
    return false;
  }
}

/**
 * Writes `text` to `fd` synchronously and returns what it could not write: nothing, or the rest
 * from the first write that failed — EAGAIN (a non-blocking pipe that is full), EPIPE (the reader
 * is gone), anything else. The caller hands the rest to node's stream, which waits or reports the
 * error as it always did (main.ts: EPIPE ends the run quietly).
 */
export function writeStraight(fd: number, text: string, write: Write = fs.writeSync): Buffer {
  let data: Buffer | null = null;
  let done = 0;
  try {
    // The string in one write, the common case (a blocking pipe or a file takes it whole): no copy.
    done = write(fd, text);
    if (done === Buffer.byteLength(text)) return Buffer.alloc(0);
    data = Buffer.from(text, 'utf8');
    while (done < data.length) done += write(fd, data, done, data.length - done);
  } catch {
    // the rest goes through the stream
  }
  return (data ?? Buffer.from(text, 'utf8')).subarray(done);
}

/** fs.writeSync's two forms used here: a string whole, or a range of a buffer. */
type Write = { (fd: number, text: string): number; (fd: number, data: Buffer, offset: number, length: number): number };

/** Text for stdout: straight when the Io can (main.ts's defaultIo), else through its stream. */
export function writeOut(io: { writeOut?: (text: string) => void; stdout: { write(text: string): unknown } }, text: string): void {
  if (io.writeOut) io.writeOut(text);
  else io.stdout.write(text);
}

/** Whether stderr is a terminal (prompts, progress and colour go there), asking node's stream only when it must. */
export const stderrIsTTY = (io: { plainStderr?: boolean; stderr: { isTTY?: boolean } }): boolean => !io.plainStderr && Boolean(io.stderr.isTTY);
