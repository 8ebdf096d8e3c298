// The vif spec string ("mac=00:16:3e:17:d4:87,bridge=virbr0"): comma-separated key=value items,
// whitespace around them allowed by xl. Edits replace one value and keep every other byte.
import { InputError } from '../errors.js';
import { parseXlConfig, quoteXl, vifSpecs } from './xlConfig.js';

export interface VifSpecItem { key: string; value: string; raw: string; start: number; end: number }

export function parseVifSpec(spec: string): VifSpecItem[] {
  const items: VifSpecItem[] = [];
  let offset = 0;
  for (const part of spec.split(',')) {
    const lead = part.length - part.trimStart().length;
    const body = part.trim();
    const at = offset + lead;
    offset += part.length + 1;
    if (body === '') continue;
    const eq = body.indexOf('=');
    if (eq < 0) {
      items.push({ key: body, value: '', raw: body, start: at, end: at + body.length });
      continue;
    }
    const key = body.slice(0, eq).trim();
    const rawValue = body.slice(eq + 1);
    const valueLead = rawValue.length - rawValue.trimStart().length;
    const value = rawValue.trim();
    const start = at + eq + 1 + valueLead;
    items.push({ key, value, raw: body, start, end: start + value.length });
  }
  return items;
}

export function vifSpecToKeys(spec: string): Record<string, string> {
  return Object.fromEntries(parseVifSpec(spec).map((i) => [i.key, i.value]));
}

/** Replace a key's value in place; a new `mac` goes first (seed 000 line 38's order), anything else last. */
export function setVifSpecKey(spec: string, key: string, value: string): string {
  const item = parseVifSpec(spec).find((i) => i.key === key);
  if (item) return spec.slice(0, item.start) + value + spec.slice(item.end);
  if (spec.trim() === '') return `${key}=${value}`;
  return key === 'mac' ? `${key}=${value},${spec}` : `${spec},${key}=${value}`;
}

/** The product's surgical edit: only the inside of vif item #vifIndex's string token changes. */
export function setVifKeyInConfig(text: string, file: string, vifIndex: number, key: string, value: string): string {
  const cfg = parseXlConfig(text, file);
  const item = vifSpecs(cfg).find((v) => v.index === vifIndex);
  const line = text.slice(0, item?.start ?? 0).split('\n').length;
  if (!item) throw new InputError('error.vifIndex', { file, index: vifIndex });
  if (!('spec' in item)) throw new InputError('error.vifExpression', { file, line, index: vifIndex });
  const spec = setVifSpecKey(item.spec, key, value);
  return text.slice(0, item.start) + quoteXl(spec, item.quote) + text.slice(item.end);
}
