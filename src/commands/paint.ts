// Colours for diffs and commands, through chalk only when colour is wanted (NO_COLOR, --no-color, non-TTY).
import type { Context } from '../context.js';
import { noPaint, type Paint } from '../plan/format.js';

export async function paintFor(ctx: Context): Promise<Paint> {
  if (!ctx.color) return noPaint;
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return { add: c.green, del: c.red, hunk: c.cyan, head: c.bold, cmd: c.yellow, dim: c.dim };
}
