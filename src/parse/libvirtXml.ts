// libvirt domain and network XML: read with a strict XML parser (saxes), edit surgically.
// Ranges are JavaScript string offsets (saxes `position` is UTF-16); every byte outside an edit is kept.
// saxes is bundled into the engine (scripts/bundle.mjs) and so in its code cache: resolved, read
// and compiled from node_modules it cost a cold plan ~6 ms (issue 11).
import { SaxesParser } from 'saxes';
import { InputError } from '../errors.js';

export interface XmlInterface {
  index: number;
  type: string | null;
  mac: string | null;
  bridge: string | null;
  network: string | null;
  script: string | null;
  model: string | null;
  start: number;
  end: number /* the <interface> element's range */;
}

export interface DomainXml { text: string; file: string; name: string | null; interfaces: XmlInterface[] }

export interface NetworkXml {
  text: string;
  file: string;
  name: string | null;
  bridge: string | null;
  forwardMode: string | null /* null when no <forward>; 'nat' when <forward/> without mode, as libvirt defaults */;
  forwardDev: string | null;
  ips: Array<{ address: string; netmask: string | null; prefix: string | null }>;
}

/** One element as found in the source: decoded attributes from saxes, ranges from its positions. */
interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  start: number /* its '<' */;
  openEnd: number /* just after the '>' of its start tag */;
  end: number /* just after its end tag (or the '/>') */;
  selfClosing: boolean;
  text: string /* its own character data, children's excluded */;
  children: XmlElement[];
}

/** Where one attribute sits inside its start tag. */
interface AttributeSpan { name: string; start: number /* name */; valueStart: number; valueEnd: number; quote: string }

interface Edit { start: number; end: number; insert: string }

function parseElements(text: string, file: string): XmlElement {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  parser.on('error', (err) => {
    // saxes prefixes "line:column: " (its column, after the offending character, reads as 1-based);
    // the position is passed on separately.
    const detail = err.message.replace(/^\d+:\d+: /, '');
    throw new InputError('error.xmlSyntax', { file, line: parser.line, column: Math.max(1, parser.column), detail });
  });
  parser.on('opentagstart', (tag) => {
    // At this event saxes has read "<name" plus one character, so the '<' is the last one before.
    const start = text.lastIndexOf('<', parser.position - 1);
    const el: XmlElement = { name: tag.name, attributes: {}, start, openEnd: -1, end: -1, selfClosing: false, text: '', children: [] };
    stack.at(-1)?.children.push(el);
    stack.push(el);
    root ??= el;
  });
  parser.on('opentag', (tag) => {
    const el = stack.at(-1)!;
    el.openEnd = parser.position;
    el.selfClosing = tag.isSelfClosing;
    for (const [name, value] of Object.entries(tag.attributes)) el.attributes[name] = value;
  });
  parser.on('closetag', () => { stack.pop()!.end = parser.position; });
  const addText = (t: string) => { const el = stack.at(-1); if (el) el.text += t; };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.write(text).close();
  return root!;
}

/** Attribute spans of one start tag: a tiny tokenizer over that tag's text only (saxes already checked it). */
function attributeSpans(text: string, el: XmlElement): AttributeSpan[] {
  const spans: AttributeSpan[] = [];
  const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  let i = el.start + 1 + el.name.length;
  while (i < el.openEnd) {
    while (isSpace(text[i])) i++;
    if (text[i] === '/' || text[i] === '>') break;
    const start = i;
    while (text[i] !== '=' && !isSpace(text[i])) i++;
    const name = text.slice(start, i);
    while (text[i] !== '"' && text[i] !== "'") i++;
    const quote = text[i];
    const valueStart = i + 1;
    const valueEnd = text.indexOf(quote, valueStart);
    spans.push({ name, start, valueStart, valueEnd, quote });
    i = valueEnd + 1;
  }
  return spans;
}

function escapeAttribute(value: string, quote: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;', "'": '&apos;' };
  return [...value].map((c) => (c === '&' || c === '<' || c === quote ? entities[c] : c)).join('');
}

const child = (el: XmlElement | undefined, name: string) => el?.children.find((c) => c.name === name);
const attr = (el: XmlElement | undefined, name: string) => el?.attributes[name] ?? null;

function interfaceElements(root: XmlElement): XmlElement[] {
  if (root.name !== 'domain') return [];
  return (child(root, 'devices')?.children ?? []).filter((c) => c.name === 'interface');
}

/** 1-based line of a string offset. */
const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

export function parseDomainXml(text: string, file: string): DomainXml {
  const root = parseElements(text, file);
  // libvirt keeps one <source> per interface; with two, which bridge the guest is on is a guess.
  for (const [index, el] of interfaceElements(root).entries()) {
    const sources = el.children.filter((c) => c.name === 'source');
    if (sources.length > 1) throw new InputError('error.xmlTwoSources', { file, index, line: lineAt(text, sources[1].start) });
  }
  const nameEl = root.name === 'domain' ? child(root, 'name') : undefined;
  const interfaces = interfaceElements(root).map((el, index): XmlInterface => ({
    index,
    type: attr(el, 'type'),
    mac: attr(child(el, 'mac'), 'address'),
    bridge: attr(child(el, 'source'), 'bridge'),
    network: attr(child(el, 'source'), 'network'),
    script: attr(child(el, 'script'), 'path'),
    model: attr(child(el, 'model'), 'type'),
    start: el.start,
    end: el.end,
  }));
  return { text, file, name: nameEl ? nameEl.text.trim() : null, interfaces };
}

export function parseNetworkXml(text: string, file: string): NetworkXml {
  const root = parseElements(text, file);
  const net = root.name === 'network' ? root : undefined;
  const forward = child(net, 'forward');
  const nameEl = child(net, 'name');
  return {
    text,
    file,
    name: nameEl ? nameEl.text.trim() : null,
    bridge: attr(child(net, 'bridge'), 'name'),
    // libvirt reads <forward/> without mode= as NAT (formatnetwork.html, <forward> mode: the default is "nat").
    forwardMode: forward ? (attr(forward, 'mode') ?? 'nat') : null,
    forwardDev: attr(forward, 'dev'),
    // An <ip> without address= is not a usable subnet (libvirt rejects it); leave it out.
    ips: (net?.children ?? []).filter((c) => c.name === 'ip' && c.attributes.address !== undefined)
      .map((ip) => ({ address: ip.attributes.address, netmask: attr(ip, 'netmask'), prefix: attr(ip, 'prefix') })),
  };
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.insert + out.slice(e.end);
  return out;
}

function findInterface(text: string, file: string, index: number): XmlElement {
  const found = interfaceElements(parseElements(text, file));
  const el = found[index];
  if (!el) throw new InputError('error.xmlNoInterface', { file, index, count: found.length });
  return el;
}

/** The quote style this element already uses, so new markup looks like its neighbours ('...' as libvirt writes). */
function quoteOf(text: string, el: XmlElement): string {
  return attributeSpans(text, el)[0]?.quote ?? "'";
}

/** The line break and indentation just before `pos` ("\n    ", "\r\n\t"), or null when other text shares its line. */
function lineBreakBefore(text: string, pos: number): string | null {
  let i = pos;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  if (text[i - 1] !== '\n') return null;
  return text.slice(text[i - 2] === '\r' ? i - 2 : i - 1, pos);
}

/** Insert `markup` as a child of `parent`: after `after` when given, else first, on its own line like the siblings. */
function insertChild(text: string, parent: XmlElement, markup: string, after?: XmlElement): Edit {
  if (after) return { start: after.end, end: after.end, insert: (lineBreakBefore(text, after.start) ?? '') + markup };
  const first = parent.children[0];
  if (first) return { start: first.start, end: first.start, insert: markup + (lineBreakBefore(text, first.start) ?? '') };
  // No child element yet: open the element up if needed and indent one level deeper than the parent.
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const own = lineBreakBefore(text, parent.start)?.replace(/^\r?\n/, '') ?? '';
  const inner = own + (own.startsWith('\t') ? '\t' : '  ');
  if (parent.selfClosing) {
    const slash = text.lastIndexOf('/', parent.openEnd - 1);
    return { start: slash, end: parent.openEnd, insert: `>${newline}${inner}${markup}${newline}${own}</${parent.name}>` };
  }
  const content = text.slice(parent.openEnd, text.lastIndexOf('<', parent.end - 1));
  const tail = content.includes('\n') ? '' : newline + own;
  return { start: parent.openEnd, end: parent.openEnd, insert: `${newline}${inner}${markup}${tail}` };
}

/** Replace one attribute's value, keeping its quote style. */
function setValue(span: AttributeSpan, value: string): Edit {
  return { start: span.valueStart, end: span.valueEnd, insert: escapeAttribute(value, span.quote) };
}

/** Add an attribute at the end of a start tag that lacks it. */
function addAttribute(text: string, el: XmlElement, name: string, value: string): Edit {
  const quote = quoteOf(text, el);
  // Right after the last attribute (or the tag name), so whitespace before '/>' or '>' stays where it was.
  const last = attributeSpans(text, el).at(-1);
  const pos = last ? last.valueEnd + 1 : el.start + 1 + el.name.length;
  return { start: pos, end: pos, insert: ` ${name}=${quote}${escapeAttribute(value, quote)}${quote}` };
}

// Types whose definition can become type='bridge' by setting the source alone; the others
// (direct, hostdev, vhostuser, …) carry sources that mean something else and are left to the admin.
const MOVABLE_TYPES = new Set(['bridge', 'network', 'ethernet']);

/** Make interface #index a bridge interface on `bridge` (seed 000 lines 50–52 → 56–58). */
export function setInterfaceBridge(text: string, file: string, index: number, bridge: string): string {
  const itf = findInterface(text, file, index);
  const type = attr(itf, 'type');
  if (type !== null && !MOVABLE_TYPES.has(type)) throw new InputError('error.xmlInterfaceType', { file, index, type });
  const edits: Edit[] = [];
  const typeSpan = attributeSpans(text, itf).find((s) => s.name === 'type');
  if (!typeSpan) edits.push(addAttribute(text, itf, 'type', 'bridge'));
  else if (type !== 'bridge') edits.push(setValue(typeSpan, 'bridge'));

  const source = child(itf, 'source');
  if (!source) {
    const quote = quoteOf(text, itf);
    // libvirt writes <source> right after <mac>, as in the guide's dump (seed 000 lines 56–58).
    edits.push(insertChild(text, itf, `<source bridge=${quote}${escapeAttribute(bridge, quote)}${quote}/>`, child(itf, 'mac')));
    return applyEdits(text, edits);
  }
  const spans = attributeSpans(text, source);
  const network = spans.find((s) => s.name === 'network');
  const bridgeSpan = spans.find((s) => s.name === 'bridge');
  if (network) {
    // network='default' becomes bridge='…' in place. A running guest's dump also names the
    // network's own bridge and port (bridge='virbr0' portid='…'): those belong to the network, drop them.
    edits.push({ start: network.start, end: network.valueEnd + 1, insert: `bridge=${network.quote}${escapeAttribute(bridge, network.quote)}${network.quote}` });
    for (const s of spans.filter((x) => x.name === 'bridge' || x.name === 'portid')) {
      let from = s.start;
      while (from > 0 && ' \t\r\n'.includes(text[from - 1])) from--;
      edits.push({ start: from, end: s.valueEnd + 1, insert: '' });
    }
  } else if (bridgeSpan) {
    edits.push(setValue(bridgeSpan, bridge));
  } else if (spans.length === 0) {
    edits.push(addAttribute(text, source, 'bridge', bridge));
  } else {
    throw new InputError('error.xmlInterfaceType', { file, index, type: type ?? '' });
  }
  return applyEdits(text, edits);
}

/** Set interface #index's MAC: the <mac address=…> value, or a new <mac> as its first child. */
export function setInterfaceMac(text: string, file: string, index: number, mac: string): string {
  const itf = findInterface(text, file, index);
  const macEl = child(itf, 'mac');
  if (!macEl) {
    const quote = quoteOf(text, itf);
    return applyEdits(text, [insertChild(text, itf, `<mac address=${quote}${escapeAttribute(mac, quote)}${quote}/>`)]);
  }
  const span = attributeSpans(text, macEl).find((s) => s.name === 'address');
  return applyEdits(text, [span ? setValue(span, mac) : addAttribute(text, macEl, 'address', mac)]);
}

/**
 * Append a new bridge interface after the domain's last <interface> (or last in <devices>), in the
 * shape of the guide's dump (seed 000 lines 112–116): type='bridge', <mac>, <source bridge>, <script>.
 */
export function appendInterface(text: string, file: string, spec: { bridge: string; mac: string; script?: string }): string {
  const root = parseElements(text, file);
  const devices = root.name === 'domain' ? child(root, 'devices') : undefined;
  if (!devices) throw new InputError('error.xmlNoDevices', { file });
  const last = interfaceElements(root).at(-1);
  const quote = last ? quoteOf(text, last) : "'";
  const q = (v: string) => `${quote}${escapeAttribute(v, quote)}${quote}`;
  const anchor = last ?? devices.children.at(-1);
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = (anchor ? lineBreakBefore(text, anchor.start)?.replace(/^\r?\n/, '') : null) ?? '    ';
  const inner = indent + (indent.startsWith('\t') ? '\t' : '  ');
  const lines = [
    `<interface type=${q('bridge')}>`,
    `${inner}<mac address=${q(spec.mac)}/>`,
    `${inner}<source bridge=${q(spec.bridge)}/>`,
    ...(spec.script ? [`${inner}<script path=${q(spec.script)}/>`] : []),
    `${indent}</interface>`,
  ];
  const markup = lines.join(newline);
  if (anchor) return applyEdits(text, [{ start: anchor.end, end: anchor.end, insert: `${newline}${indent}${markup}` }]);
  return applyEdits(text, [insertChild(text, devices, markup)]);
}

/**
 * Make interface #index a routed one (recipe routed, seed 002 lines 85–90): type='ethernet', no
 * <source>, `<ip address=…/>` after <mac>, `<script path='vif-route'/>` — what libvirt's Xen
 * drivers turn into the vif's ip= and script=. Every byte outside the interface is kept.
 */
export function setInterfaceRouted(text: string, file: string, index: number, spec: { ip: string; script: string }): string {
  const itf = findInterface(text, file, index);
  const type = attr(itf, 'type');
  if (type !== null && !MOVABLE_TYPES.has(type)) throw new InputError('error.xmlInterfaceType', { file, index, type });
  const quote = quoteOf(text, itf);
  const q = (v: string) => `${quote}${escapeAttribute(v, quote)}${quote}`;
  const edits: Edit[] = [];
  const typeSpan = attributeSpans(text, itf).find((s) => s.name === 'type');
  if (!typeSpan) edits.push(addAttribute(text, itf, 'type', 'ethernet'));
  else if (type !== 'ethernet') edits.push(setValue(typeSpan, 'ethernet'));
  const removeLine = (el: XmlElement): Edit => {
    const br = lineBreakBefore(text, el.start);
    return { start: br ? el.start - br.length : el.start, end: el.end, insert: '' };
  };
  const source = child(itf, 'source');
  if (source) edits.push(removeLine(source));
  const ips = itf.children.filter((c) => c.name === 'ip');
  if (!(ips.length === 1 && attr(ips[0], 'address') === spec.ip)) {
    edits.push(...ips.map(removeLine));
    edits.push(insertChild(text, itf, `<ip address=${q(spec.ip)}/>`, child(itf, 'mac')));
  }
  const script = child(itf, 'script');
  const path = script && attributeSpans(text, script).find((s) => s.name === 'path');
  if (path) {
    if (attr(script, 'path') !== spec.script) edits.push(setValue(path, spec.script));
  } else if (script) {
    edits.push(addAttribute(text, script, 'path', spec.script));
  } else {
    edits.push(insertChild(text, itf, `<script path=${q(spec.script)}/>`, itf.children.filter((c) => c.name !== 'source' && c.name !== 'ip').at(-1) ?? child(itf, 'mac')));
  }
  return applyEdits(text, edits);
}
