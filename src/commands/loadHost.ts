// Shared by commands: detection with the context's root and liveness, and the answers file.
import type { Context } from '../context.js';
import type { HostFacts } from '../host.js';
import type { Answers } from '../answers.js';
import { detectHost } from '../detect/index.js';
import { readAnswersFile } from '../answers.js';
import { runIp } from '../system/commands.js';

export function loadHost(ctx: Context): Promise<HostFacts> {
  return detectHost(ctx.fs, { live: ctx.live, ip: runIp });
}

export function loadAnswers(ctx: Context): Answers {
  return ctx.options.answers ? readAnswersFile(ctx.options.answers) : {};
}
