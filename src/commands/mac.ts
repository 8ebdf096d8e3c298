// `mac [-n N]`: xenmacgen-style MACs (seed 000 line 216), unique against everything on the host.
import { jsonText } from '../model/jsonMessage.js';
import type { Context } from '../context.js';
import { generateMacs } from '../mac.js';
import { loadHost } from './loadHost.js';

export async function macCommand(ctx: Context): Promise<number> {
  const host = await loadHost(ctx);
  const macs = generateMacs(ctx.options.count, new Set(host.macsInUse), ctx.random);
  if (ctx.options.json) ctx.out(jsonText({ macs, checkedAgainst: host.macsInUse.length }));
  else for (const mac of macs) ctx.out(mac);
  return 0;
}
