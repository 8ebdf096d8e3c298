// The outage a 10 ms probe sees while dom0's NIC moves into a bridge, on the namespace testbed:
// (a) the wizard's live apply, (a3) the same on a dom0 run by the real systemd-networkd (the batch,
// then `networkctl reload`, test/testbed/daemons.ts), (a4) on netplan → networkd (then `netplan
// generate` with Debian's real generator, and the reload), (a2) recipe shadow-bridge's live rename (eno1 → seno1, the bridge
// named eno1: the rename needs the NIC down, so its outage is measured here too), (b) classic ifupdown `ifdown eno1; ifup xenbr0`, (c) ifupdown2
// `ifreload -a` — both with the interfaces file the wizard renders. The ifupdown tools run in a
// private mount namespace whose /etc and /usr are overlays carrying the unpacked packages, with
// tmpfs on /run and /var/tmp: nothing of the machine's own configuration is read or written.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Testbed, testbedAvailable, DOM0_IP, GUESTS } from '../../test/testbed/testbed.js';
import { probeStart, PERIOD_MS, type Probe } from '../../test/testbed/fping.js';
import { overlayDirs, privateMountScript } from '../../test/_helpers/ifupdownNs.js';
import { DaemonNs, missingNetworkdBus, missingNetplanGenerator } from '../../test/testbed/daemons.js';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WIZARD = path.join(PROJECT, 'bin/xen-net-wizard.js');
const RUNS = Number(process.env.BENCH_OUTAGE_RUNS ?? 5);

interface RunResult { dom0: Probe; wallMs: number; spanMs: number }

/**
 * The kernel's side of the move: `ip -timestamp monitor` in dom0 prints every link, address and
 * route change with the time it saw it; the span is from the first to the last change the move
 * made (BENCH_MONITOR_LOG=FILE keeps the raw events).
 */
function kernelChangesStart(tb: Testbed) {
  const child = spawn('ip', ['netns', 'exec', tb.ns.dom0, 'ip', '-timestamp', 'monitor', 'link', 'address', 'route'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return async (): Promise<number[]> => {
    const done = new Promise((r) => child.once('close', r));
    child.kill('SIGINT');
    await done;
    if (process.env.BENCH_MONITOR_LOG) fs.appendFileSync(process.env.BENCH_MONITOR_LOG, out);
    // "Timestamp: Sun Nov 29 17:33:12 2026 345678 usec", then the event. What the kernel does by
    // itself once a link is up is not a change of the move: IPv6 link-local addresses and their
    // routes (after DAD, ~1 s later) and a carrier lost by a bridge whose last port left.
    const events = out.split(/^Timestamp: /m).slice(1).map((chunk) => {
      const [, date, usec, text] = /^(.+) (\d+) usec\n([\s\S]*)$/.exec(chunk) ?? [];
      return { at: Date.parse(date) + Number(usec) / 1000, text: text ?? '' };
    });
    const byKernel = (text: string) => /fe80:|ff00::\/8/.test(text) || (/NO-CARRIER/.test(text) && !/master|^Deleted/.test(text));
    return events.filter((e) => !Number.isNaN(e.at) && !byKernel(e.text)).map((e) => e.at);
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The interfaces file the wizard renders for the testbed's dom0 (an offline plan on its root). */
function renderedInterfaces(tb: Testbed, answers: string): { before: string; after: string } {
  const r = spawnSync(process.execPath, [WIZARD, 'plan', '--root', tb.root, '--answers', answers, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const plan = JSON.parse(r.stdout) as { steps: { file?: { path: string; before: string; after: string } }[] };
  const file = plan.steps.find((s) => s.file?.path === '/etc/network/interfaces')!.file!;
  // The testbed's root has `source /etc/network/interfaces.d/*`; the overlay provides that dir.
  return { before: file.before, after: file.after };
}

async function oneRun(method: Method): Promise<RunResult> {
  const daemonRun = method === 'networkd' || method === 'netplan';
  const tb = new Testbed(daemonRun ? { manager: method } : {}).start();
  const daemon = daemonRun ? new DaemonNs(tb) : null;
  try {
    await daemon?.start(`ip route | grep -q "default via 192.168.1.254 dev eno1 proto static"`, { flush: ['eno1'] });
    const answers = path.join(tb.dir, 'answers.json');
    fs.writeFileSync(answers, JSON.stringify({ recipe: method === 'shadow' ? 'shadow-bridge' : 'single-bridge' }));
    let argv: string[];
    if (method === 'wizard' || method === 'shadow') {
      argv = ['ip', 'netns', 'exec', tb.ns.dom0, process.execPath, WIZARD, 'apply', '--root', tb.root, '--live', '--yes', '--answers', answers];
    } else if (daemon) {
      argv = daemon.wrap([process.execPath, WIZARD, 'apply', '--root', tb.root, '--live', '--yes', '--answers', answers]);
    } else {
      const o = overlayDirs(method, renderedInterfaces(tb, answers));
      const body = method === 'ifupdown'
        ? 'cp /etc/network/interfaces.after /etc/network/interfaces\nifdown --force -i /etc/network/interfaces.before eno1\nifup -i /etc/network/interfaces xenbr0'
        // ifupdown2 learns the running config first, then reloads the new file (as an admin would).
        : 'cp /etc/network/interfaces.before /etc/network/interfaces\nifup -a >/dev/null 2>&1 || true\ncp /etc/network/interfaces.after /etc/network/interfaces\nifreload -a';
      argv = ['ip', 'netns', 'exec', tb.ns.dom0, 'unshare', '-m', 'sh', '-c', privateMountScript(o, body)];
    }
    const stop = probeStart(tb, DOM0_IP);
    const changes = kernelChangesStart(tb);
    await sleep(1000);
    const t0 = Date.now();
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env: tb.env(), timeout: 120_000 });
    const wallMs = Date.now() - t0;
    await sleep(2000);
    const dom0 = await stop();
    const seen = (await changes()).filter((t) => t >= t0 - 1 && t <= t0 + wallMs + 1);
    const spanMs = seen.length > 0 ? Math.max(...seen) - Math.min(...seen) : 0;
    if (r.status !== 0) throw new Error(`${method} failed (${r.status}): ${r.stderr.slice(-800)}`);
    // shadow-bridge: the bridge has the NIC's name (eno1), the NIC is its port seno1.
    const bridge = method === 'shadow' ? 'seno1' : 'xenbr0';
    const bridged = tb.exec(tb.ns.dom0, ['ip', 'link', 'show', bridge]).status === 0;
    if (!bridged) throw new Error(`${method}: no ${bridge} afterwards`);
    return { dom0, wallMs, spanMs };
  } finally {
    daemon?.down();
    tb.down();
  }
}

type Method = 'wizard' | 'networkd' | 'netplan' | 'shadow' | 'ifupdown' | 'ifupdown2';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const why = testbedAvailable();
  if (why) {
    console.log(`outage bench SKIPPED: the namespace testbed ${why}`);
    return;
  }
  const rows: string[] = [];
  // BENCH_OUTAGE_METHODS=wizard,networkd: only those rows.
  const only = process.env.BENCH_OUTAGE_METHODS?.split(',');
  for (const method of (['wizard', 'networkd', 'netplan', 'shadow', 'ifupdown', 'ifupdown2'] as const).filter((m) => !only || only.includes(m))) {
    const results: RunResult[] = [];
    const missing = method === 'networkd' || method === 'netplan' ? missingNetworkdBus() ?? (method === 'netplan' ? missingNetplanGenerator() : null) : null;
    if (missing) {
      rows.push(`${`--live on ${method}`.padEnd(28)} skipped: ${missing}`);
      continue;
    }
    try {
      for (let i = 0; i < RUNS; i++) results.push(await oneRun(method));
    } catch (err) {
      rows.push(`${method.padEnd(28)} failed: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    // Lost: probes never answered. Late: answered, but after fping's 200 ms timeout, which fping
    // counts as lost too (its xmt/rcv); apart here, so that "0 lost" means every probe came back.
    const lost = results.map((r) => r.dom0.missing.length);
    const late = results.map((r) => Math.max(0, r.dom0.sent - r.dom0.received - r.dom0.missing.length));
    const gaps = results.map((r) => r.dom0.longestGapMs);
    const walls = results.map((r) => r.wallMs);
    const rtts = results.map((r) => Math.round(r.dom0.maxRttMs * 10) / 10);
    const spans = results.map((r) => Math.round(r.spanMs * 10) / 10);
    const label = { wizard: '(a) xen-net-wizard --live', networkd: '(a3) --live on networkd', netplan: '(a4) netplan→networkd --live', shadow: '(a2) shadow-bridge --live', ifupdown: '(b) ifdown eno1; ifup xenbr0', ifupdown2: '(c) ifupdown2 ifreload -a' }[method];
    rows.push(`${label.padEnd(28)} ${String(median(lost)).padStart(6)} ${String(Math.max(...lost)).padStart(6)} ${`${median(late)} / ${Math.max(...late)}`.padStart(9)} ${String(median(gaps)).padStart(8)} ${String(Math.max(...gaps)).padStart(8)} ${String(median(rtts)).padStart(9)} ${String(median(spans)).padStart(9)} ${String(median(walls)).padStart(9)}`);
  }
  console.log(`\nOutage seen from the LAN client by fping every ${PERIOD_MS} ms while dom0's eno1 moves into xenbr0`);
  console.log(`(namespace testbed, ${RUNS} runs each; guests ${GUESTS.map((g) => g.name).join(', ')} running on virbr0)\n`);
  console.log(`${'method'.padEnd(28)} ${'lost'.padStart(6)} ${'max'.padStart(6)} ${'late'.padStart(9)} ${'gap ms'.padStart(8)} ${'max'.padStart(8)} ${'worst rtt'.padStart(9)} ${'kernel ms'.padStart(9)} ${'wall ms'.padStart(9)}`);
  console.log(`${''.padEnd(28)} ${'median'.padStart(6)} ${''.padStart(6)} ${'med / max'.padStart(9)} ${'median'.padStart(8)} ${''.padStart(8)} ${'ms, med'.padStart(9)} ${'span, med'.padStart(9)} ${'median'.padStart(9)}`);
  for (const row of rows) console.log(row);
  console.log('\nlost: probes never answered; late: answered after fping\'s 200 ms timeout (fping counts those as lost).');
  console.log(`kernel ms: first to last link/address/route change of the move seen by \`ip -timestamp monitor\` in dom0 (target for (a) ≤ 50 ms).`);
}

await main();
