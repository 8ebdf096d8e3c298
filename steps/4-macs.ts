// Step 4: MACs for moved vifs that have none, so the address stops changing at every boot
// (seed 002 line 13). Default "auto": fresh 00:16:3e addresses, unique on the host (seed 000 line 216).
import type { WizardState } from './state.js';
import { shouldAsk } from './state.js';
import { natBridge } from '../src/recipes/shared/bridgeMove.js';
import { checkMac } from '../src/mac.js';
import { WizardError } from '../src/errors.js';
import { widthOf, wrapMessage } from '../src/ui/textWidth.js';

/** "guest#index" of every vif that moves and has no mac= in any of its definitions. */
export function vifsWithoutMac(state: Pick<WizardState, 'answers' | 'host'>): string[] {
  const source = natBridge(state.host);
  const chosen = state.answers.guests ?? state.host.guests.map((g) => g.name);
  const result: string[] = [];
  for (const guest of state.host.guests.filter((g) => chosen.includes(g.name))) {
    const indexes = new Set(guest.definitions.flatMap((d) => d.vifs.filter((v) => v.bridge === source).map((v) => v.index)));
    for (const index of [...indexes].sort()) {
      const hasMac = guest.definitions.some((d) => d.vifs.some((v) => v.index === index && v.mac));
      if (!hasMac) result.push(`${guest.name}#${index}`);
    }
  }
  return result;
}

export async function macsStep(state: Pick<WizardState, 'ctx' | 'answers' | 'ask' | 'host'>): Promise<void> {
  if (state.answers.recipe !== 'single-bridge') return;
  const { t } = state.ctx;
  const missing = vifsWithoutMac(state);
  if (missing.length === 0 || !shouldAsk(state, 'macs')) return;
  const mode = await state.ask.select({
    message: t('q.macs', { count: missing.length, vifs: missing.join(', ') }),
    default: 'auto' as const,
    choices: [
      { value: 'auto' as const, name: t('q.macsAuto'), short: t('q.macsAuto.short') },
      { value: 'manual' as const, name: t('q.macsManual'), short: t('q.macsManual.short') },
    ],
  });
  if (mode === 'auto') {
    state.answers.macs = 'auto';
    return;
  }
  const inUse = new Set(state.host.macsInUse);
  const macs: Record<string, string> = {};
  for (const vif of missing) {
    const typed = await state.ask.input({
      message: t('q.macFor', { vif }),
      default: 'auto',
      validate: (v) => {
        if (v.trim() === 'auto') return true;
        try {
          checkMac(v, inUse, vif);
          return true;
        } catch (err) {
          return err instanceof WizardError ? t(err.key, err.params) : String(err);
        }
      },
    });
    if (typed.trim() !== 'auto') {
      const { mac, warnings } = checkMac(typed, inUse, vif);
      for (const w of warnings) state.ctx.err(wrapMessage(t(`warning.${w}`, { mac }), widthOf(state.ctx)));
      inUse.add(mac);
      macs[vif] = mac;
    }
  }
  state.answers.macs = Object.keys(macs).length ? macs : 'auto';
}
