// Recipe single-bridge (seed 000 lines 24–83): guests from libvirt's NAT virbr0 onto xenbr0.
// Its questions and plan; the move itself (src/recipes/shared/bridgeMove.ts) is shared with the
// recipes that build on it.
import type { Answers } from '../../model/answers.js';
import type { Recipe, RecipeInputs, Planned } from '../types.js';
import { resolveSingleBridge, resolvedSingleBridgeAnswers, singleBridgeDefaults } from '../shared/bridgeMove.js';
import { bridgePlanInputs, planSingleBridge } from '../shared/bridgeMovePlan.js';

function planned(answers: Answers, inputs: RecipeInputs): Planned {
  const { host } = inputs;
  const topology = resolveSingleBridge(host, answers, inputs.random);
  const plan = planSingleBridge(bridgePlanInputs(topology, inputs));
  return { plan, topology, answers: resolvedSingleBridgeAnswers(host, answers, topology) };
}

export const singleBridge: Recipe = {
  id: 'single-bridge',
  source: 'seed 000: 24–83',
  // The wizard asks these through its own steps (steps/2-nic … 4-macs), in the guide's order.
  questions: [
    { id: 'wan.nic', kind: 'string' },
    { id: 'wan.bridge', kind: 'string' },
    { id: 'guests', kind: 'string[]' },
    { id: 'macs', kind: 'macs' },
    { id: 'antispoof', kind: 'boolean' },
    { id: 'libvirt.disableDefault', kind: 'boolean' },
  ],
  defaults: singleBridgeDefaults,
  plan: planned,
};
