// fping every 10 ms through the namespace testbed, read back as the outage a host saw: probes
// sent and answered, the longest run with no reply, the worst round trip. Used by the outage bench
// (scripts/bench/outage.ts) and the traffic tests that probe across a change.
import { spawn } from 'node:child_process';
import type { Testbed } from './testbed.js';

export const PERIOD_MS = 10;

export interface Probe { sent: number; received: number; longestGapMs: number; maxRttMs: number; /** Sequence numbers never answered. */ missing: number[] }

export function probeStart(tb: Testbed, target: string, from: string = tb.ns.client) {
  // fping: one probe every 10 ms (ping -i 0.01 only manages ~16 ms here); -D timestamps each reply.
  const child = spawn('ip', ['netns', 'exec', from, 'fping', '-l', '-p', String(PERIOD_MS), '-t', '200', target], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return async (): Promise<Probe> => {
    const done = new Promise((r) => child.once('close', r));
    child.kill('SIGINT');
    await done;
    // Replies: "192.168.1.3 : [17], 64 bytes, 0.05 ms (…)"; summary on stderr: "xmt/rcv/%loss = 300/300/0%".
    // Lost is fping's own count; the gap is the longest run of probes with no reply at all (late
    // replies print out of order, so sequence numbers are sorted first).
    const summary = /xmt\/rcv\/%loss = (\d+)\/(\d+)/.exec(err);
    if (!summary) throw new Error(`fping printed no summary: ${err}`);
    const seqs = [...new Set([...out.matchAll(/: \[(\d+)\]/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
    let gap = 0;
    for (let i = 1; i < seqs.length; i++) gap = Math.max(gap, (seqs[i] - seqs[i - 1] - 1) * PERIOD_MS);
    // A reply held back (neighbour resolution, a port not yet forwarding) is an outage too.
    const rtts = [...out.matchAll(/bytes, ([\d.]+) ms/g)].map((m) => Number(m[1]));
    const answered = new Set(seqs);
    const missing = Array.from({ length: Number(summary[1]) }, (_, i) => i).filter((i) => !answered.has(i));
    return { sent: Number(summary[1]), received: Number(summary[2]), longestGapMs: gap, maxRttMs: Math.max(0, ...rtts), missing };
  };
}
