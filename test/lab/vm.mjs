// Runs one qemu VM (TCG, no NIC to the host), streams its serial console into a log file, and
// counts the LAB-PASS / LAB-FAIL lines it prints (LAB-INFO and the other LAB- lines are shown).
// The VM must print a line matching `done` before it powers off, or that is one more failure.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** Set once the harness itself was interrupted (SIGINT/SIGTERM): no further VM is to be started. */
export const state = { interrupted: false };

/**
 * `killOn`: a console line matching it is the VM's request to be killed at once (SIGKILL of qemu,
 * no shutdown: the lab's power cut); that ends the boot as finished.
 */
export function runVm({ name, args, timeoutS, log, done, killOn }) {
  const out = createWriteStream(log);
  const res = { passed: 0, failed: 0, skipped: 0, info: [] };
  const logs = [];
  const fail = (what) => { console.log(`LAB-FAIL [${name}] ${what}`); res.failed += 1; };
  return new Promise((resolve) => {
    const qemu = spawn('qemu-system-x86_64', ['-accel', 'tcg', '-nographic', '-no-reboot', '-nic', 'none', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let finished = false;
    const timer = setTimeout(() => {
      fail(`finished within ${timeoutS} s: killed (pid ${qemu.pid})`);
      qemu.kill('SIGKILL');
    }, timeoutS * 1000);
    const stop = () => { state.interrupted = true; if (qemu.exitCode === null) qemu.kill('SIGKILL'); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    let buf = '';
    const onData = (chunk) => {
      out.write(chunk);
      buf += chunk.toString('utf8');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        // Serial lines end in \r\r\n (the guest's and Xen's line disciplines each add one).
        const line = buf.slice(0, i).replace(/\r+$/, '');
        buf = buf.slice(i + 1);
        if (done.test(line)) finished = true;
        if (killOn?.test(line) && qemu.exitCode === null) {
          finished = true;
          res.killedAt = Date.now();
          qemu.kill('SIGKILL');
        }
        const m = /(LAB-([A-Z0-9]+)\b.*)$/.exec(line);
        if (!m || m[2] === 'TICK') continue;
        if (m[2] === 'PASS') res.passed += 1;
        if (m[2] === 'FAIL') res.failed += 1;
        if (m[2] === 'INFO') res.info.push(m[1]);
        if (m[2] === 'LOG' && !process.env.LAB_VERBOSE) { logs.push(m[1]); continue; }
        console.log(m[1]);
      }
    };
    qemu.stdout.on('data', onData);
    qemu.stderr.on('data', onData);
    qemu.on('close', () => {
      clearTimeout(timer);
      out.end();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (!finished) fail('ran to its end: no end line on the console');
      res.finished = finished;
      if (res.failed > 0) for (const l of logs) console.log(l);
      resolve(res);
    });
  });
}
