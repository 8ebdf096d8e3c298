// The commit-confirmed watchdog: a detached process that rolls a run back when it is not confirmed
// in time, when the wizard asks it to (Ctrl-C, failed check), or when the gateway or the SSH client
// stops answering — whether or not the wizard or its terminal still exist.
import fs from 'node:fs';
import path from 'node:path';
import { RootFs } from '../system/rootfs.js';
import { liveRunner } from '../system/commands.js';
import { Journal } from './journal.js';
import { runsDir } from './apply.js';
import { rollbackRun } from './rollback.js';
import { unreachable } from './connectivity.js';
import { ABORT, CONFIRMED, OUTCOME, type WatchdogArgs, type WatchdogOutcome } from './confirmWindow.js';
import { writeFileAtomic } from './atomicWrite.js';
import { deadlineIn } from './clock.js';
import { textWidthLoaded } from '../ui/textWidth.js';

/** Two failed checks in a row (about 2 s apart) count as lost: one dropped ping is not an outage. */
const LOST_AFTER = 2;

async function watch(args: WatchdogArgs): Promise<void> {
  const fsRoot = new RootFs(args.root);
  const journal = Journal.open(runsDir(fsRoot), args.runId);
  if (!journal) return;
  const dir = journal.dir;
  const finish = (outcome: WatchdogOutcome) =>
    writeFileAtomic(path.join(dir, OUTCOME), JSON.stringify(outcome, null, 2) + '\n', { mode: 0o600 });
  const deadline = deadlineIn(args.timeoutSeconds * 1000);
  let failures = 0;
  let reason: WatchdogOutcome['reason'] = 'timeout';
  let lost: string[] = [];
  for (;;) {
    if (fs.existsSync(path.join(dir, CONFIRMED))) {
      finish({ result: 'confirmed', reason: 'confirmed' });
      return;
    }
    if (fs.existsSync(path.join(dir, ABORT))) {
      reason = 'abort';
      break;
    }
    if (deadline.passed()) break;
    lost = await unreachable(args.targets);
    failures = lost.length ? failures + 1 : 0;
    if (failures >= LOST_AFTER) {
      reason = 'connectivity';
      break;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const report = await rollbackRun(journal, fsRoot, liveRunner(fsRoot));
  finish({ result: report.errors.length ? 'rollback-failed' : 'rolled-back', reason, lost, errors: report.errors });
}

if (textWidthLoaded) await textWidthLoaded;
await watch(JSON.parse(process.argv[2]) as WatchdogArgs);
