// The guide's xend sequence around dom0 network edits (seed 000 lines 13–16): the running
// network-script stopped, the files edited, `service network restart`, the new wrapper started.
import type { FileChange, Step } from '../model/plan.js';
import { commandStep, fileStep } from '../model/steps.js';
import { currentNetworkScript, CUSTOM_SCRIPT } from './xend.js';

/** Host files wrapped in stop → edit → restart → start; guest edits go in the edit phase too. */
export function xendSequence(hostFiles: FileChange[], guestSteps: Step[], networkScript: string | null): Step[] {
  if (hostFiles.length === 0) return guestSteps;
  // Line 18: stop what xend-config.sxp names now, which may already be a custom script.
  const [script, ...args] = currentNetworkScript(networkScript);
  return [
    commandStep('network-bridge-stop', 'before-edit', [script, 'stop', ...args], {
      undo: [script, 'start', ...args],
      title: { key: 'step.networkBridgeStop', params: { script } },
    }),
    ...hostFiles.map(fileStep),
    ...guestSteps,
    commandStep('service-network-restart', 'after-edit', ['service', 'network', 'restart'], {
      rerunOnRollback: true,
      title: { key: 'step.serviceNetworkRestart', params: {} },
    }),
    commandStep('network-bridge-custom-start', 'after-edit', [CUSTOM_SCRIPT, 'start'], {
      undo: [CUSTOM_SCRIPT, 'stop'],
      title: { key: 'step.networkBridgeStart', params: { script: CUSTOM_SCRIPT } },
    }),
  ];
}
