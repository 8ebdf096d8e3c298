// listr2 writes a few words of its own ("[FAILED: …]", "[SKIPPED: …]"); this logger puts them in
// the user's language. Built from the lazily imported module, so listr2 still loads only for apply.
import type { ListrLogger, ProcessOutput } from 'listr2';
import type { Translate } from '../i18n.js';
import { wrapText } from './textWidth.js';

type Listr2 = typeof import('listr2');

const LEVELS = ['FAILED', 'SKIPPED', 'ROLLBACK', 'RETRY', 'PAUSED'] as const;

/**
 * `width`: wrap each line to it (the simple renderer, used without a terminal, does not wrap;
 * the default renderer wraps by itself, so it passes none).
 */
export function localizedLogger(listr2: Listr2, t: Translate, processOutput: ProcessOutput, toStderr: string[], width?: number): ListrLogger {
  const label = Object.fromEntries(LEVELS.map((level) => [level, t(`progress.${level.toLowerCase()}`)]));
  const levelPrefix = new RegExp(`^(${LEVELS.join('|')})(?=:)`);
  class LocalizedLogger extends listr2.ListrLogger {
    override wrap(message: string, options?: Parameters<ListrLogger['wrap']>[1]): string {
      return super.wrap(typeof message === 'string' ? message.replace(levelPrefix, (level) => label[level]) : message, options);
    }

    override format(...args: Parameters<ListrLogger['format']>): string {
      const text = super.format(...args);
      return width ? wrapText(text, width, { hanging: '  ' }) : text;
    }
  }
  return new LocalizedLogger({ useIcons: true, toStderr, processOutput });
}
