// @inquirer/prompts in the user's language: the key hints under a list ("↑↓ navigate • ⏎ select"),
// the yes/no of a confirmation and its echo, and the prompts' own error texts.
import type { Translate } from '../i18n.js';

const ACTIONS = ['navigate', 'select', 'submit', 'all', 'invert'] as const;
const KEYS: Record<string, string> = { space: 'prompt.key.space' };

function keysHelpTip(t: Translate) {
  return (keys: [string, string][]) =>
    keys
      .map(([key, action]) => {
        const name = KEYS[key] ? t(KEYS[key]) : key;
        return `${name} ${(ACTIONS as readonly string[]).includes(action) ? t(`prompt.action.${action}`) : action}`;
      })
      .join(' • ');
}

/** Theme for select and checkbox. */
export function listTheme(t: Translate) {
  return { style: { keysHelpTip: keysHelpTip(t) }, i18n: { disabledError: t('prompt.disabled') } };
}

/** Theme for confirm: the hint names both answers in words and marks the default; y/n still work. */
export function confirmTheme(t: Translate, defaultAnswer: boolean | undefined) {
  return {
    keywords: { yes: t('prompt.yes'), no: t('prompt.no'), error: () => t('prompt.confirmError') },
    style: { defaultAnswer: () => t(defaultAnswer === false ? 'prompt.hintDefaultNo' : 'prompt.hintDefaultYes') },
  };
}
