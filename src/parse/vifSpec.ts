// The vif spec string ("mac=00:16:3e:17:d4:87,bridge=virbr0"): comma-separated key=value items.
// Edits replace one value (or add one item) and keep every other byte of the spec and the file.
import { InputError } from '../errors.js';
import { parseXlConfig, vifSpecs, type XlConfig } from './xlConfig.js';
import { spliceStringLiteral } from './xlString.js';

/** start..end: the item (raw); valueStart..valueEnd: its value. Offsets within the spec string. */
export interface VifSpecItem { key: string; value: string; raw: string; start: number; end: number; valueStart: number; valueEnd: number }

// xl skips spaces before an item ("type=ioemu, bridge=xenbr0" in xmexample.hvm); xm's create.py
// stripped both ends. Reading both trimmed is what either toolstack meant.
const isBlank = (c: string) => c === ' ' || c === '\t';

/** The first non-blank offset in [from, to). */
function trimStart(spec: string, from: number, to: number): number {
  while (from < to && isBlank(spec[from])) from++;
  return from;
}

/** Just after the last non-blank offset in [from, to). */
function trimEnd(spec: string, from: number, to: number): number {
  while (to > from && isBlank(spec[to - 1])) to--;
  return to;
}

export function parseVifSpec(spec: string): VifSpecItem[] {
  const items: VifSpecItem[] = [];
  for (let at = 0; at <= spec.length;) {
    let comma = spec.indexOf(',', at);
    if (comma < 0) comma = spec.length;
    const start = trimStart(spec, at, comma);
    const end = trimEnd(spec, start, comma);
    at = comma + 1;
    if (start === end) continue; // xl's strtok skips empty items
    const raw = spec.slice(start, end);
    const eq = spec.indexOf('=', start);
    if (eq < 0 || eq >= end) {
      items.push({ key: raw, value: '', raw, start, end, valueStart: end, valueEnd: end });
      continue;
    }
    const keyStart = trimStart(spec, start, eq);
    const valueStart = trimStart(spec, eq + 1, end);
    const valueEnd = trimEnd(spec, valueStart, end);
    items.push({ key: spec.slice(keyStart, trimEnd(spec, keyStart, eq)), value: spec.slice(valueStart, valueEnd), raw, start, end, valueStart, valueEnd });
  }
  return items;
}

/** Key → value; a key given twice keeps its last value, as xl's parse_nic_config does. */
export function vifSpecToKeys(spec: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const item of parseVifSpec(spec)) {
    // "__proto__" is a key like any other (defined, as Object.fromEntries did, not assigned).
    if (item.key === '__proto__') Object.defineProperty(keys, item.key, { value: item.value, enumerable: true, writable: true, configurable: true });
    else keys[item.key] = item.value;
  }
  return keys;
}

/** The change to the spec that sets key=value: replace [from, to) with insert; null if already so. */
function vifSpecEdit(spec: string, key: string, value: string): { from: number; to: number; insert: string } | null {
  // A comma would split the value into a second item.
  if (value.includes(',')) throw new InputError('error.vifSpecValue', { key, value });
  const items = parseVifSpec(spec);
  let item: VifSpecItem | undefined;
  for (const i of items) if (i.key === key) item = i;
  if (item?.raw === key) return { from: item.end, to: item.end, insert: `=${value}` }; // a bare word: "bridge"
  if (item) return item.value === value ? null : { from: item.valueStart, to: item.valueEnd, insert: value };
  if (items.length === 0) return { from: 0, to: spec.length, insert: `${key}=${value}` };
  // seed 000 line 38: "mac=…,bridge=…" — mac leads; anything else joins at the end.
  if (key === 'mac') return { from: 0, to: 0, insert: `${key}=${value},` };
  const comma = spec.trimEnd().endsWith(',') ? '' : ',';
  return { from: spec.length, to: spec.length, insert: `${comma}${key}=${value}` };
}

/** Set key=value in a vif spec: replace the value in place, or add mac first / anything else last. */
export function setVifSpecKey(spec: string, key: string, value: string): string {
  const edit = vifSpecEdit(spec, key, value);
  return edit ? spec.slice(0, edit.from) + edit.insert + spec.slice(edit.to) : spec;
}

/**
 * The product's surgical edit: set key=value in vif item #vifIndex. Only the inside of that item's
 * string token changes (its quotes and prefix stay); every byte outside it is kept. `parsed`: the
 * config `text` parses to, when the caller has it already.
 */
export function setVifKeyInConfig(text: string, file: string, vifIndex: number, key: string, value: string, parsed?: XlConfig): string {
  return setVifKeysInConfig(text, file, vifIndex, [[key, value]], parsed);
}

/**
 * setVifKeyInConfig for several keys of one vif, in order, from one parse: each splice changes only
 * the item's own token, so the next edit finds the token where the last one left it (same start,
 * end moved by the change in length) and the spec as the last edit made it (issue 11: a guest
 * without a MAC gets bridge= and mac= without the file being parsed again in between).
 */
export function setVifKeysInConfig(text: string, file: string, vifIndex: number, keys: readonly (readonly [string, string])[], parsed?: XlConfig): string {
  const item = vifSpecs(parsed ?? parseXlConfig(text, file)).find((v) => v.index === vifIndex);
  if (!item) throw new InputError('error.vifIndex', { file, index: vifIndex });
  if (!('spec' in item)) {
    let line = 1;
    for (let i = 0; i < item.start; i++) if (text[i] === '\n') line++;
    throw new InputError('error.vifExpression', { file, line, index: vifIndex });
  }
  let { spec, end } = item;
  for (const [key, value] of keys) {
    const edit = vifSpecEdit(spec, key, value);
    if (!edit) continue;
    const after = spliceStringLiteral(text, item.start, end, edit.from, edit.to, edit.insert);
    end += after.length - text.length;
    spec = spec.slice(0, edit.from) + edit.insert + spec.slice(edit.to);
    text = after;
  }
  return text;
}

/**
 * Append a vif item to the config's vif list (seed 000 line 97: a second "mac=…,bridge=…" after
 * the first), in the quote style and separator of the items before it; a config without `vif`
 * gets a new line. Only bytes between the last item and the closing bracket change.
 */
export function appendVifInConfig(text: string, file: string, spec: string): string {
  const cfg = parseXlConfig(text, file);
  const last = cfg.settings.filter((s) => s.key === 'vif').at(-1);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (/["'\\\r\n]/.test(spec)) throw new InputError('error.vifSpecUnquotable', { file, spec });
  if (!last) return text + (text === '' || text.endsWith('\n') ? '' : eol) + `vif = [ "${spec}" ]${eol}`;
  if (last.value.kind !== 'list') throw new InputError('error.vifNotList', { file, line: last.line });
  const items = last.value.items;
  const prev = items.at(-1);
  const quote = prev && prev.kind === 'string' && text.slice(prev.start, prev.end).replace(/^[a-zA-Z]*/, '').startsWith("'") ? "'" : '"';
  const literal = `${quote}${spec}${quote}`;
  // `vif = [ ]`: the new item goes right after the bracket.
  if (!prev) {
    const inside = text.slice(last.value.start + 1, last.value.end - 1);
    return text.slice(0, last.value.start + 1) + ` ${literal}${inside.trim() === '' ? ' ' : inside}` + text.slice(last.value.end - 1);
  }
  // The separator the author used between items (", " or ",\n    "); the guide's "," for one item.
  const sep = items.length > 1 ? text.slice(items.at(-2)!.end, prev.start) : ',';
  const rest = text.slice(prev.end, last.value.end);
  const trailing = /^\s*,/.exec(rest);
  if (trailing) {
    const at = prev.end + trailing[0].length;
    return text.slice(0, at) + sep.replace(',', '') + literal + ',' + text.slice(at);
  }
  return text.slice(0, prev.end) + sep + literal + text.slice(prev.end);
}

/** Remove key from vif item #vifIndex (with the comma that joined it); unchanged when absent. */
export function removeVifKeyInConfig(text: string, file: string, vifIndex: number, key: string): string {
  const item = vifSpecs(parseXlConfig(text, file)).find((v) => v.index === vifIndex);
  if (!item) throw new InputError('error.vifIndex', { file, index: vifIndex });
  if (!('spec' in item)) return text;
  const items = parseVifSpec(item.spec);
  const at = items.findIndex((i) => i.key === key);
  if (at < 0) return text;
  // "a,key=v,b" → "a,b"; the last item takes the comma before it, the first the comma after it.
  const from = at > 0 ? items[at - 1].end : items[at].start;
  const to = at > 0 ? items[at].end : (items[at + 1]?.start ?? items[at].end);
  return removeVifKeyInConfig(spliceStringLiteral(text, item.start, item.end, from, to, ''), file, vifIndex, key);
}
