// Round trip over the corpus (issue 7, part 3): every config in ../shared/corpus is claimed by a
// format and parses; a no-op edit (each value set to itself) writes it back byte-identical; a
// one-value edit with random values (fast-check) changes only that value's bytes, and reading the
// result back gives the new value with every other value as before. Documentation files in the
// corpus (man pages, READMEs, prose) are listed by name, so a new corpus file fails until claimed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseXlConfig, getString, vifSpecs, setXlSetting, type XlConfig } from '../../src/parse/xlConfig.js';
import { setVifKeyInConfig, vifSpecToKeys } from '../../src/parse/vifSpec.js';
import { parseDomainXml, parseNetworkXml, setInterfaceBridge, setInterfaceMac } from '../../src/parse/libvirtXml.js';
import { parseSxp, setDirective } from '../../src/parse/sxp.js';
import { parseIfcfg, getVar, setVar } from '../../src/parse/ifcfg.js';
import { parseInterfaces } from '../../src/parse/interfaces.js';
import { parseIni, getIniValue, setIniValue } from '../../src/parse/iniFile.js';

const CORPUS = '/work/shared/corpus';

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
const FILES = walk(CORPUS).map((f) => path.relative(CORPUS, f)).sort();

/** Not configs: documentation and prose that ship with the samples. */
const DOCS = new Set([
  'README.md', 'ifcfg/doc/sysconfig.txt', 'ifupdown/bridge-utils/README.Debian', 'ifupdown/bridge-utils/bridge-utils-interfaces.5',
  'ifupdown/examples-bridge.txt', 'xen-examples/docs/xl-network-configuration.5.pod.in', 'xen-examples/docs/xl-network-configuration.markdown',
  'xen-examples/docs/xl.cfg.5.pod.in', 'xen-examples/head/README',
]);

// ---- random values ---------------------------------------------------------------------------------
const SHELLISH = [';', '$', '(', ')', '`', "'", '"', '\\', ' ', '\t', '\n', '#', '=', ',', '[', ']', 'a', 'Z', '0', '.', '-', '日', 'é'];
/** Any printable text (quotes, backslashes, newlines and non-ASCII included): for formats that escape. */
const anyText = fc.oneof(fc.string({ unit: fc.constantFrom(...SHELLISH), maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 12 }))
  .filter((s) => !/[\x00-\x08\x0b-\x1f\x7f]/.test(s));
/** Names and addresses, what the wizard writes into shell-sourced files and specs. */
const word = fc.string({ unit: fc.constantFrom(...'abcxyzXYZ0189_.:/-'), minLength: 1, maxLength: 15 });
const oneLine = anyText.filter((s) => !/[\r\n]/.test(s) && s.trim() === s && s !== '');
const mac = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, '0')).join(':'));
const RUNS = { numRuns: 25, seed: 20261124 };

/** Only text[start, end) may differ between before and after. */
function assertOnlySpanChanged(before: string, after: string, start: number, end: number, what: string): void {
  assert.is(after.slice(0, start), before.slice(0, start), `${what}: bytes before the value`);
  assert.is(after.slice(after.length - (before.length - end)), before.slice(end), `${what}: bytes after the value`);
}

// ---- the formats -----------------------------------------------------------------------------------
interface Format {
  name: string;
  claims(rel: string): boolean;
  /** Parses; returns how many no-op edits were checked byte-identical. */
  noop(text: string, file: string): number;
  /** One-value edits with random values; returns how many values were edited (0: nothing editable). */
  edit?(text: string, file: string): number;
}

const strip = (cfg: XlConfig, skip: string) => cfg.settings.filter((s) => s.key !== skip).map((s) => [s.key, s.op, JSON.stringify(s.value, (k, v) => (k === 'start' || k === 'end' ? undefined : v))]);
const soleStrings = (cfg: XlConfig) => cfg.settings.filter((s) => s.op === '=' && s.value.kind === 'string' && cfg.settings.filter((x) => x.key === s.key).length === 1);

const xl: Format = {
  name: 'xl/xm config',
  claims: (rel) => /\.cfg$/.test(rel) || /\/(xmexample[\w.]*|xlexample[\w.]*|xl\.conf|cpupool)$/.test(rel),
  noop(text, file) {
    const cfg = parseXlConfig(text, file);
    let n = 0;
    for (const s of soleStrings(cfg)) {
      assert.is(setXlSetting(text, file, s.key, getString(cfg, s.key)!), text, `${s.key} set to itself`);
      n++;
    }
    for (const item of vifSpecs(cfg)) {
      if (!('spec' in item)) continue;
      for (const [k, v] of Object.entries(vifSpecToKeys(item.spec))) {
        assert.is(setVifKeyInConfig(text, file, item.index, k, v), text, `vif ${item.index} ${k} set to itself`);
        n++;
      }
    }
    return n;
  },
  edit(text, file) {
    const cfg = parseXlConfig(text, file);
    let n = 0;
    const target = soleStrings(cfg)[0];
    if (target) {
      const v = target.value as { start: number; end: number };
      fc.assert(fc.property(anyText, (value) => {
        const after = setXlSetting(text, file, target.key, value);
        assertOnlySpanChanged(text, after, v.start, v.end, target.key);
        const back = parseXlConfig(after, file);
        assert.is(getString(back, target.key), value);
        assert.equal(strip(back, target.key), strip(cfg, target.key));
      }), RUNS);
      n++;
    }
    const vif = vifSpecs(cfg).find((i) => 'spec' in i && vifSpecToKeys(i.spec).bridge !== undefined);
    if (vif && 'spec' in vif) {
      const keys = vifSpecToKeys(vif.spec);
      fc.assert(fc.property(word.filter((w) => !w.includes(',')), (bridge) => {
        const after = setVifKeyInConfig(text, file, vif.index, 'bridge', bridge);
        assertOnlySpanChanged(text, after, vif.start, vif.end, `vif ${vif.index}`);
        const items = vifSpecs(parseXlConfig(after, file));
        assert.equal(items.map((i) => ('spec' in i && i.index !== vif.index ? vifSpecToKeys(i.spec) : null)),
          vifSpecs(cfg).map((i) => ('spec' in i && i.index !== vif.index ? vifSpecToKeys(i.spec) : null)), 'the other vifs');
        const edited = items[vif.index];
        assert.equal('spec' in edited && vifSpecToKeys(edited.spec), { ...keys, bridge });
      }), RUNS);
      n++;
    }
    return n;
  },
};

/** The one region where before and after differ. */
function changedRegion(before: string, after: string): { start: number; removed: string; inserted: string } {
  let p = 0;
  while (p < before.length && p < after.length && before[p] === after[p]) p++;
  let q = 0;
  while (q < before.length - p && q < after.length - p && before[before.length - 1 - q] === after[after.length - 1 - q]) q++;
  return { start: p, removed: before.slice(p, before.length - q), inserted: after.slice(p, after.length - q) };
}

const domainXml: Format = {
  name: 'libvirt domain XML',
  claims: (rel) => /^libvirt-x[lm]configdata\/.*\.xml$/.test(rel),
  noop(text, file) {
    const dom = parseDomainXml(text, file);
    let n = 0;
    for (const itf of dom.interfaces) {
      if (itf.mac) { assert.is(setInterfaceMac(text, file, itf.index, itf.mac), text); n++; }
      if (itf.type === 'bridge' && itf.bridge) { assert.is(setInterfaceBridge(text, file, itf.index, itf.bridge), text); n++; }
    }
    return n;
  },
  edit(text, file) {
    const dom = parseDomainXml(text, file);
    const itf = dom.interfaces.find((i) => i.mac);
    if (!itf) return 0;
    fc.assert(fc.property(mac, (value) => {
      const after = setInterfaceMac(text, file, itf.index, value);
      const region = changedRegion(text, after);
      assert.ok(region.start >= itf.start && region.start + region.removed.length <= itf.end, 'inside the interface');
      assert.ok(itf.mac!.includes(region.removed) && value.includes(region.inserted), `only the address: ${JSON.stringify(region)}`);
      const back = parseDomainXml(after, file);
      assert.equal(back.interfaces.map((i) => ({ ...i, start: 0, end: 0 })), dom.interfaces.map((i) => ({ ...i, start: 0, end: 0, mac: i.index === itf.index ? value : i.mac })));
    }), RUNS);
    return 1;
  },
};

const networkXml: Format = {
  name: 'libvirt network XML',
  claims: (rel) => /^libvirt-networkxml\//.test(rel),
  // The wizard never edits a network's XML (it stops the network and removes its autostart link).
  noop(text, file) {
    const net = parseNetworkXml(text, file);
    assert.ok(net.name !== null, 'a named network');
    return 0;
  },
};

const otherXml: Format = {
  name: 'other XML (xm-config.xml)',
  claims: (rel) => rel === 'xen-examples/RELEASE-4.0.4/xm-config.xml',
  noop(text, file) {
    assert.equal(parseDomainXml(text, file).interfaces, []);
    return 0;
  },
};

const sxp: Format = {
  name: 'xend-config.sxp',
  claims: (rel) => rel.endsWith('xend-config.sxp'),
  noop(text, file) {
    let n = 0;
    const seen = new Set<string>();
    for (const d of parseSxp(text, file)) {
      if (seen.has(d.name)) continue;
      seen.add(d.name);
      // A value is written back as the reader would read it: bare when it was bare.
      if (text.slice(d.valueStart, d.valueEnd) !== d.value) continue;
      assert.is(setDirective(text, file, d.name, d.value), text, d.name);
      n++;
    }
    return n;
  },
  edit(text, file) {
    const live = parseSxp(text, file).filter((d) => d.name === 'network-script');
    if (live.length !== 1) return 0;
    const d = live[0];
    fc.assert(fc.property(anyText, (value) => {
      const after = setDirective(text, file, 'network-script', value);
      assertOnlySpanChanged(text, after, d.valueStart, d.valueEnd, 'network-script');
      const back = parseSxp(after, file);
      assert.is(back.find((x) => x.name === 'network-script')!.value, value);
      assert.equal(back.filter((x) => x.name !== 'network-script').map((x) => [x.name, x.value]), parseSxp(text, file).filter((x) => x.name !== 'network-script').map((x) => [x.name, x.value]));
    }), RUNS);
    return 1;
  },
};

const ifcfg: Format = {
  name: 'ifcfg / shell variables',
  claims: (rel) => /^ifcfg\/examples\//.test(rel) || rel === 'ifupdown/bridge-utils/bridge-utils.default',
  noop(text, file) {
    const f = parseIfcfg(text, file);
    for (const v of f.vars) assert.is(setVar(text, file, v.key, getVar(f, v.key)!), text, v.key);
    return f.vars.length;
  },
  edit(text, file) {
    const f = parseIfcfg(text, file);
    const v = f.vars.filter((x) => f.vars.filter((y) => y.key === x.key).length === 1)[0];
    if (!v) return 0;
    const at = v.start + text.slice(v.start, v.end).indexOf(v.value, v.key.length + 1);
    fc.assert(fc.property(word, (value) => {
      const after = setVar(text, file, v.key, value);
      assertOnlySpanChanged(text, after, at, at + v.value.length, v.key);
      const back = parseIfcfg(after, file);
      assert.equal(back.vars.map((x) => [x.key, x.key === v.key ? '' : x.value]), f.vars.map((x) => [x.key, x.key === v.key ? '' : x.value]));
      assert.is(getVar(back, v.key), value);
    }), RUNS);
    return 1;
  },
};

const interfaces: Format = {
  name: 'interfaces(5)',
  claims: (rel) => /^ifupdown\/(examples-network-interfaces|examples-pattern-matching|tests-linux-testcase\.\d\.interfaces|bridge-utils\/examples-interfaces\.[\w.]+)$/.test(rel),
  // The wizard's edit of this format is the whole NIC → bridge migration (test/render/netconfBridge.test.ts,
  // checked by ifquery); there is no single-value setter to exercise here.
  noop(text, file) {
    const parsed = parseInterfaces(text, file);
    assert.is(parsed.lines.join('\n'), text);
    return 0;
  },
};

const ini: Format = {
  name: 'NetworkManager keyfile / systemd-networkd',
  claims: (rel) => /^(nm-keyfile|networkd)\/(?!SOURCES\.md$)/.test(rel),
  noop(text, file) {
    const parsed = parseIni(text, file);
    let n = 0;
    for (const s of parsed.sections) for (const e of s.entries) {
      if (getIniValue(parsed, s.name, e.key) !== e.value) continue; // a repeated section or key: the last one is edited
      assert.is(setIniValue(text, file, s.name, e.key, e.value), text, `[${s.name}] ${e.key}`);
      n++;
    }
    return n;
  },
  edit(text, file) {
    const parsed = parseIni(text, file);
    const section = parsed.sections.at(-1)!;
    const entry = section.entries.at(-1);
    if (!entry) return 0;
    const others = (p: ReturnType<typeof parseIni>) => p.sections.flatMap((s) => s.entries.filter((e) => e !== entry && !(s.name === section.name && e.key === entry.key)).map((e) => `${s.name}.${e.key}=${e.value}`));
    fc.assert(fc.property(oneLine, (value) => {
      const after = setIniValue(text, file, section.name, entry.key, value);
      assertOnlySpanChanged(text, after, entry.valueStart, entry.valueEnd, entry.key);
      const back = parseIni(after, file);
      assert.is(getIniValue(back, section.name, entry.key), value);
      assert.equal(others(back), others(parsed));
    }), RUNS);
    return 1;
  },
};

const FORMATS = [xl, domainXml, networkXml, otherXml, sxp, ifcfg, interfaces, ini];
const tally = { parsed: 0, noopIdentical: 0, noopEdits: 0, edited: 0, byFormat: new Map<string, number>() };

test('every corpus file is claimed by exactly one format or listed as documentation', () => {
  const unclaimed = FILES.filter((rel) => !rel.endsWith('SOURCES.md') && !DOCS.has(rel) && FORMATS.filter((f) => f.claims(rel)).length !== 1);
  assert.equal(unclaimed, []);
  assert.ok(FILES.length >= 150, `${FILES.length} files`);
});

for (const rel of FILES) {
  if (rel.endsWith('SOURCES.md') || DOCS.has(rel)) continue;
  const format = FORMATS.find((f) => f.claims(rel));
  if (!format) continue;
  test(`${format.name}: ${rel} parses, a no-op edit is byte-identical${format.edit ? ', a random one-value edit changes only that value' : ''}`, () => {
    const file = path.join(CORPUS, rel);
    const text = fs.readFileSync(file, 'utf8');
    const noops = format.noop(text, file);
    tally.parsed++;
    tally.byFormat.set(format.name, (tally.byFormat.get(format.name) ?? 0) + 1);
    if (noops > 0) tally.noopIdentical++;
    tally.noopEdits += noops;
    if (format.edit) tally.edited += format.edit(text, file) > 0 ? 1 : 0;
  });
}

test('figures: corpus files round-tripped', () => {
  console.log(`\n  corpus: ${tally.parsed} config files parsed (${[...tally.byFormat].map(([k, v]) => `${k} ${v}`).join(', ')}); `
    + `${tally.noopIdentical} written back byte-identical after ${tally.noopEdits} no-op edits; ${tally.edited} with random one-value edits (fast-check)`);
  assert.ok(tally.parsed > 100 && tally.noopIdentical > 50 && tally.edited > 40);
});

test.run();
