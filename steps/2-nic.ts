// Step 2: the NIC that carries the LAN (default: the one with the default route) and the bridge
// that takes it over (default xenbr0, seed 000 line 75). antispoof is asked on xend only (line 70).
import type { WizardState } from './state.js';
import { shouldAsk } from './state.js';
import { nics } from '../src/model/host.js';
import { singleBridgeDefaults } from '../src/recipes/shared/bridgeMove.js';
import { validateIfaceName } from '../src/recipes/shared/ifaceName.js';
import { WizardError } from '../src/errors.js';

export async function nicStep(state: Pick<WizardState, 'ctx' | 'answers' | 'ask' | 'host'>): Promise<void> {
  if (state.answers.recipe !== 'single-bridge') return;
  const { t } = state.ctx;
  const defaults = singleBridgeDefaults(state.host);
  const candidates = nics(state.host);
  if (shouldAsk(state, 'wan.nic') && candidates.length > 0) {
    state.answers['wan.nic'] = await state.ask.select({
      message: t('q.nic'),
      default: defaults['wan.nic'],
      choices: candidates.map((l) => ({
        value: l.name,
        name: [l.name, l.mac ?? '', l.name === state.host.defaultRouteNic ? t('detect.defaultRoute') : ''].filter(Boolean).join('  '),
        disabled: l.master ? t('q.nicEnslaved', { bridge: l.master }) : false,
      })),
    });
  }
  if (shouldAsk(state, 'wan.bridge')) {
    state.answers['wan.bridge'] = await state.ask.input({
      message: t('q.bridge'),
      default: defaults['wan.bridge'],
      validate: (v) => {
        try {
          validateIfaceName(v, 'wan.bridge');
          return true;
        } catch (err) {
          return err instanceof WizardError ? t(err.key, err.params) : String(err);
        }
      },
    });
  }
  const profile = state.answers.profile ?? defaults.profile;
  if (profile === 'xend' && shouldAsk(state, 'antispoof')) {
    state.answers.antispoof = await state.ask.confirm({ message: t('q.antispoof'), default: true });
  }
}
