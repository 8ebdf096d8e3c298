// Shared by commands: detection with the context's root and liveness, and the answers file.
import type { Context } from '../context.js';
import type { HostFacts } from '../model/host.js';
import type { Answers } from '../model/answers.js';
import { detectHost } from '../detect/index.js';
import { combineAnswers, readAnswersFile } from '../plan/answersFile.js';
import { runIp } from '../system/commands.js';
import { captureLive } from '../live/snapshot.js';
import { parseXlList } from '../live/runningGuests.js';
import { readVifBridges } from '../live/xenstoreBridge.js';
import { LIBXL_DIR, libxlConfigPaths } from '../live/libxlConfig.js';
import { sshClientAddress } from '../exec/connectivity.js';
import type { LiveInputs } from '../recipes/types.js';
import { mergeLibvirtState, readLibvirtState } from '../live/libvirtState.js';

/** Detection from the files; on a live dom0, libvirt's own view of its networks over them. */
export async function loadHost(ctx: Context): Promise<HostFacts> {
  const host = await detectHost(ctx.fs, { live: ctx.live, ip: runIp });
  if (!ctx.live || host.libvirtNetworks.length === 0) return host;
  const { execa } = await import('execa');
  const state = await readLibvirtState(async (commands) => {
    const r = await execa('virsh', ['-q', commands], { reject: false, stdin: 'ignore', timeout: 60_000 });
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout ?? '') };
  });
  return state ? { ...host, libvirtNetworks: mergeLibvirtState(host.libvirtNetworks, state) } : host;
}

/** On a live dom0: the kernel's network state and the running guests (`xl list`), read-only. */
export async function loadLive(ctx: Context, host: HostFacts): Promise<LiveInputs | undefined> {
  if (!ctx.live) return undefined;
  const snapshot = await captureLive(runIp);
  const { execa } = await import('execa');
  const xl = await execa('xl', ['list'], { reject: false, stdin: 'ignore' });
  const running = xl.exitCode === 0 ? parseXlList(String(xl.stdout)) : [];
  const xenstoreBridges = Object.fromEntries(await readVifBridges(running.map((r) => r.domid)));
  const libxlConfigs = libxlConfigPaths(ctx.fs.list(LIBXL_DIR), running.map((r) => r.domid));
  return { snapshot, running, guests: host.guests, sshClient: sshClientAddress(ctx.io.env), xenstoreBridges, libxlConfigs };
}

export function loadAnswers(ctx: Context): Answers {
  const fromFile = ctx.options.answers ? readAnswersFile(ctx.options.answers) : {};
  return combineAnswers(fromFile, ctx.options.recipe, ctx.options.set);
}
