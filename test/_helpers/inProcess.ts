// The CLI's main() in this process with captured streams: the same argv → output → exit code as
// the binary, without a node start per run (suites that run hundreds of commands).
import { PassThrough } from 'node:stream';
// From dist: main finds locales/ and demo/ relative to its built location, as the binary does.
import { main } from '../../dist/src/main.js';
import type { Io } from '../../dist/src/context.js';
import { unwrapMessages } from './roots.js';

/** stderr with wrapped messages joined back (as runCli's), rawStderr as the terminal shows it. */
export interface Captured { status: number; stdout: string; stderr: string; rawStderr: string }

function sink(): PassThrough & { text(): string; isTTY: boolean } {
  const chunks: Buffer[] = [];
  const stream = new PassThrough() as PassThrough & { text(): string; isTTY: boolean };
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.isTTY = false;
  stream.text = () => Buffer.concat(chunks).toString('utf8');
  return stream;
}

export async function runMain(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Captured> {
  const stdout = sink();
  const stderr = sink();
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.end();
  const io: Io = { stdout, stderr, stdin, env: { LANG: 'C.UTF-8', NO_COLOR: '1', ...env }, isRoot: false };
  const status = await main(argv, io);
  await new Promise((resolve) => setImmediate(resolve));
  return { status, stdout: stdout.text(), stderr: unwrapMessages(stderr.text()), rawStderr: stderr.text() };
}
