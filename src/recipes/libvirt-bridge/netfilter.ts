// Bridged traffic and the host's firewall (seed 003 lines 52–63): with br_netfilter, frames a
// bridge forwards go through iptables' FORWARD chain, where a DROP policy stops the guests. Two
// answers, as the manual gives them: accept everything bridged (`--physdev-is-bridged`, line 53),
// persisted in /etc/sysconfig/iptables; or take bridged frames out of iptables altogether
// (bridge-nf-call-* = 0, lines 63–65), persisted with the other sysctls.
import type { FileChange, ReadFile } from '../../model/plan.js';
import type { Sysctl } from '../../model/topology.js';

export const IPTABLES_FILE = '/etc/sysconfig/iptables';
/** seed 003 line 53, as the rule's arguments. */
export const PHYSDEV_RULE = ['FORWARD', '-m', 'physdev', '--physdev-is-bridged', '-j', 'ACCEPT'];
/** seed 003 lines 60–62, in the manual's order. */
export const BRIDGE_NF_SYSCTLS: Sysctl[] = ['ip6tables', 'iptables', 'arptables'].map((t) => ({ key: `net.bridge.bridge-nf-call-${t}`, value: '0' }));

const RULE_LINE = `-I ${PHYSDEV_RULE.join(' ')}`;

/**
 * The rule in iptables-save's file (what `service iptables save`, line 54, writes and the iptables
 * service restores at boot): inserted before the filter table's COMMIT; a file without a filter
 * table gets one with ACCEPT policies; a file that already has the rule is left alone.
 */
export function renderIptablesFile(read: ReadFile): FileChange | null {
  const file = read(IPTABLES_FILE);
  const before = file?.text ?? '';
  const lines = before.split('\n');
  const has = lines.some((l) => /^-[AI] FORWARD\b/.test(l.trim()) && l.includes('--physdev-is-bridged') && /-j ACCEPT\b/.test(l));
  if (has) return null;
  const filter = lines.findIndex((l) => l.trim() === '*filter');
  let after: string;
  if (filter >= 0) {
    const commit = lines.findIndex((l, i) => i > filter && l.trim() === 'COMMIT');
    const at = commit >= 0 ? commit : lines.length;
    after = [...lines.slice(0, at), RULE_LINE, ...lines.slice(at)].join('\n');
  } else {
    const sep = before === '' || before.endsWith('\n') ? '' : '\n';
    after = `${before}${sep}*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${RULE_LINE}\nCOMMIT\n`;
  }
  return { path: IPTABLES_FILE, mode: file?.mode ?? '0600', before: file ? before : null, after };
}
