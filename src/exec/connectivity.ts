// Is the admin still connected? The gateway answers, and the SSH client's address (if any) too.
// One ping each, through the real `ping`, from the process's own network namespace.

export interface Reachability {
  gateway: string | null;
  sshClient: string | null;
}

export async function reachable(address: string): Promise<boolean> {
  const { execa } = await import('execa');
  const r = await execa('ping', ['-c', '1', '-W', '1', '-q', address], { reject: false, stdin: 'ignore' });
  return r.exitCode === 0;
}

/** The addresses that failed (empty when all answered). */
export async function unreachable(targets: Reachability): Promise<string[]> {
  const list = [targets.gateway, targets.sshClient].filter((a): a is string => !!a);
  const results = await Promise.all(list.map(async (a) => [a, await reachable(a)] as const));
  return results.filter(([, ok]) => !ok).map(([a]) => a);
}

/** SSH_CONNECTION is "client_ip client_port server_ip server_port". */
export function sshClientAddress(env: NodeJS.ProcessEnv): string | null {
  return env.SSH_CONNECTION?.trim().split(/\s+/)[0] || null;
}
