// Every command a recipe plans (and its undo) is sorted into "ends with a reboot" or "stored for
// the next boot" (src/exec/reboot.ts), so a rollback after a power cut knows what the boot undid.
// Apart from test/apply/powercut.test.ts because it runs the built CLI's `plan --json` for every
// scenario (seconds): the rollback mutation group (scripts/mutation-groups.mjs) runs powercut per mutant.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classified, endsWithReboot } from '../../src/exec/reboot.js';
import { SCENARIOS } from '../_helpers/scenarios.js';
import { recipePlan } from '../_helpers/jsonPlan.js';

test('every command a recipe plans is sorted into "ends with a reboot" or "stored for the next boot"', () => {
  const seen = new Map<string, boolean>();
  for (const s of SCENARIOS) {
    const plan = recipePlan(s.recipe, s.fixture, s.answers) as { steps: { argv?: string[]; undo?: string[] }[] };
    for (const step of plan.steps) {
      for (const argv of [step.argv, step.undo]) {
        if (!argv) continue;
        assert.ok(classified(argv), `${s.recipe} ${s.name}: ${argv.join(' ')} is in neither list of src/exec/reboot.ts`);
        seen.set(argv.slice(0, 2).join(' '), endsWithReboot(argv));
      }
    }
  }
  assert.ok(seen.size >= 10, [...seen.keys()].join(', '));
});

test.run();
