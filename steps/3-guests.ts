// Step 3: which guests move (default: every guest with a vif on virbr0, seed 000 line 32), and
// whether libvirt's default network is stopped (default: yes when no guest is left on it).
import type { WizardState } from './state.js';
import { shouldAsk } from './state.js';
import { guestsOnBridge, natBridge } from '../src/recipes/shared/bridgeMove.js';
import { guestBridges } from '../src/detect/guests.js';

export async function guestsStep(state: Pick<WizardState, 'ctx' | 'answers' | 'ask' | 'host'>): Promise<void> {
  if (state.answers.recipe !== 'single-bridge') return;
  const { t } = state.ctx;
  const source = natBridge(state.host);
  const onNat = guestsOnBridge(state.host, source);
  if (shouldAsk(state, 'guests') && state.host.guests.length > 0) {
    state.answers.guests = await state.ask.checkbox({
      message: t('q.guests', { bridge: source }),
      choices: state.host.guests.map((g) => ({
        value: g.name,
        name: `${g.name}  [${guestBridges(g).join(', ') || '-'}]`,
        checked: onNat.includes(g.name),
        disabled: onNat.includes(g.name) ? false : t('q.guestNotOnNat', { bridge: source }),
      })),
    });
  }
  const chosen = state.answers.guests ?? onNat;
  const left = onNat.filter((g) => !chosen.includes(g));
  if (left.length > 0 && shouldAsk(state, 'libvirt.disableDefault')) {
    state.answers['libvirt.disableDefault'] = await state.ask.confirm({
      message: t('q.disableDefault', { guests: left.join(', ') }),
      default: false,
    });
  }
}
