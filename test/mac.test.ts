// MACs: xenmacgen's job (seed 000 line 216) done with checks — range, uniqueness, validation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { checkMac, generateMacs, normalizeMac } from '../src/mac.js';
import { InputError } from '../src/errors.js';
import { parseCli } from '../src/cli/args.js';
import { buildContext, type Io } from '../src/context.js';
import { macCommand } from '../src/commands/mac.js';
import { copyFixture, FIXTURES, PROJECT } from './_helpers/roots.js';
import { detectHost } from '../src/detect/index.js';
import { RootFs } from '../src/system/rootfs.js';
import { planVifMoves } from '../src/recipes/shared/bridgeMove.js';
import fc from 'fast-check';

test('generated MACs are 00:16:3e with the 4th byte below 0x80, as libxl and xend draw them', () => {
  const macs = generateMacs(2000, new Set(), (n) => new Uint8Array(randomBytes(n)));
  assert.is(macs.length, 2000);
  assert.is(new Set(macs).size, 2000, 'unique within the output');
  for (const mac of macs) {
    assert.match(mac, /^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$/);
  }
});

test('generateMacs asks the MACs in use, never copies them (one draw per guest without a MAC: 1,000 copies made a plan quadratic)', () => {
  let asked = 0;
  const inUse = { has: (mac: string) => (asked++, mac === '00:16:3e:00:00:01') };
  const proposals = [[0, 0, 1], [0, 0, 2], [0, 0, 2], [0, 0, 3]];
  let i = 0;
  assert.equal(generateMacs(2, inUse, () => new Uint8Array(proposals[i++])), ['00:16:3e:00:00:02', '00:16:3e:00:00:03']);
  assert.is(asked, 4, 'each proposal asked about once; the repeated 02 refused as drawn in this call');
});

test('generated MACs avoid every MAC in use, even when the random source keeps proposing them', () => {
  // A source that proposes 00:16:3e:00:00:01 three times, then 00:16:3e:00:00:02.
  const proposals = [[0, 0, 1], [0, 0, 1], [0x80, 0, 1], [0, 0, 2]];
  let i = 0;
  const macs = generateMacs(1, new Set(['00:16:3e:00:00:01']), () => new Uint8Array(proposals[i++]));
  assert.equal(macs, ['00:16:3e:00:00:02']);
  assert.is(i, 4, 'the 0x80 proposal is masked to 0x00 and so also collides');
});

test('a saturated range is an error naming the count, not an endless loop: 1088 refused draws are retried, not more', () => {
  let drawn = 0;
  const stuck = () => (drawn++, new Uint8Array([0, 0, 0]));
  assert.throws(() => generateMacs(1, new Set(['00:16:3e:00:00:00']), stuck), (e: unknown) => (e as InputError).key === 'error.macExhausted' && (e as InputError).params.count === 1);
  assert.is(drawn, 1089);
  // One draw fewer and the 1089th proposal, a free one, is still taken.
  drawn = 0;
  const late = () => new Uint8Array(++drawn === 1089 ? [0, 0, 1] : [0, 0, 0]);
  assert.equal(generateMacs(1, new Set(['00:16:3e:00:00:00']), late), ['00:16:3e:00:00:01']);
});

const valid: [string, string, string[]][] = [
  ['00:16:3e:17:d4:87', '00:16:3e:17:d4:87', []],
  ['00:16:3E:17:D4:87', '00:16:3e:17:d4:87', []],
  ['00-16-3e-01-02-03', '00:16:3e:01:02:03', []],
  ['aa:00:00:00:00:11', 'aa:00:00:00:00:11', ['outsideXenRange']],
  ['a8:00:00:00:00:11', 'a8:00:00:00:00:11', ['outsideXenRange', 'notLocallyAdministered']],
];
for (const [input, mac, warnings] of valid) {
  test(`accepts ${input}`, () => {
    const r = checkMac(input);
    assert.is(r.mac, mac);
    assert.equal(r.warnings, warnings);
  });
}

const invalid: [string, string][] = [
  ['00:16:3e:17:d4', 'error.macMalformed'],
  ['00:16:3e:17:d4:87:00', 'error.macMalformed'],
  ['00:16:3e:17:d4:zz', 'error.macMalformed'],
  ['hello', 'error.macMalformed'],
  ['01:00:5e:00:00:01', 'error.macMulticast'],
  ['ab:00:00:00:00:00', 'error.macMulticast'],
  ['ff:ff:ff:ff:ff:ff', 'error.macMulticast'],
  ['00:00:00:00:00:00', 'error.macZero'],
  ['00:16:3e:17:d4:g7', 'error.macMalformed'],
  ['00:16:3e:17:d4:7g', 'error.macMalformed'],
  ['00:16:3e:17:d4:877', 'error.macMalformed'],
];
for (const [input, key] of invalid) {
  test(`refuses ${input} (${key})`, () => {
    assert.throws(() => checkMac(input), (e: unknown) => e instanceof InputError && e.key === key);
  });
}

test('a MAC typed with spaces around it is accepted as the MAC', () => {
  assert.is(checkMac('  00:16:3e:17:d4:87 \n').mac, '00:16:3e:17:d4:87');
});

test('each refusal names the value as typed and where it was typed (the answer id)', () => {
  const params = (text: string, inUse: string[] = []) => {
    try {
      checkMac(text, new Set(inUse), 'macs.centos51u');
      return null;
    } catch (e) {
      return (e as InputError).params;
    }
  };
  assert.equal(params('00:16:3e:17:d4'), { value: '00:16:3e:17:d4', context: 'macs.centos51u' });
  assert.equal(params('01:00:5e:00:00:01'), { value: '01:00:5e:00:00:01', context: 'macs.centos51u' });
  assert.equal(params('00-00-00-00-00-00'), { value: '00-00-00-00-00-00', context: 'macs.centos51u' });
  assert.equal(params('00:16:3E:17:D4:87', ['00:16:3e:17:d4:87']), { value: '00:16:3e:17:d4:87', context: 'macs.centos51u' });
  assert.throws(() => checkMac('x'), (e: unknown) => (e as InputError).params.context === '', 'no context by default');
});

test('a MAC already in use is refused', () => {
  assert.throws(() => checkMac('00:16:3E:17:D4:87', new Set(['00:16:3e:17:d4:87'])), (e: unknown) => (e as InputError).key === 'error.macInUse');
});

test('normalizeMac pads and lower-cases', () => {
  assert.is(normalizeMac('0:16:3E:1:2:3'), '00:16:3e:01:02:03');
  assert.is(normalizeMac('00:16:3e:01:02'), null);
});

/** `xen-net-wizard mac …` in-process, with `random` in place of crypto's bytes: its JSON output. */
async function macRun(args: string[], random: (n: number) => Uint8Array) {
  const io: Io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {}, isRoot: true };
  const ctx = buildContext(parseCli(['mac', ...args, '--json']), 'en', (key) => key, io, null);
  const lines: string[] = [];
  assert.is(await macCommand({ ...ctx, random, out: (line = '') => lines.push(line) }), 0);
  return JSON.parse(lines.join('\n')) as { macs: string[]; checkedAgainst: number };
}

test('`mac` on a dom0 whose guest has 00:16:3e:17:d4:87: a source proposing that MAC first gets the next proposal', async () => {
  const root = copyFixture('centos5');
  assert.ok(fs.readFileSync(path.join(root, 'etc/xen/centos51u'), 'utf8').includes('00:16:3e:17:d4:87'), 'fixture guest MAC');
  const proposals = [[0x17, 0xd4, 0x87], [0x17, 0xd4, 0x88]];
  let drawn = 0;
  const out = await macRun(['--root', root], () => new Uint8Array(proposals[drawn++]));
  assert.equal(out.macs, ['00:16:3e:17:d4:88']);
  assert.is(drawn, 2, 'the in-use MAC was drawn and refused');
  assert.ok(out.checkedAgainst > 0);
});

test('`mac` without --json prints one MAC a line, nothing else', async () => {
  const io: Io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {}, isRoot: true };
  const ctx = buildContext(parseCli(['mac', '--root', copyFixture('centos5'), '-n', '2']), 'en', (key) => key, io, null);
  const lines: string[] = [];
  let n = 0;
  assert.is(await macCommand({ ...ctx, random: () => new Uint8Array([0x11, 0x22, ++n]), out: (line = '') => lines.push(line) }), 0);
  assert.equal(lines, ['00:16:3e:11:22:01', '00:16:3e:11:22:02']);
});

test('`mac -n 3` never hands out the same MAC twice, even when the source repeats itself', async () => {
  const proposals = [[1, 2, 3], [1, 2, 3], [1, 2, 4], [1, 2, 3], [1, 2, 5]];
  let drawn = 0;
  const out = await macRun(['--root', copyFixture('centos5'), '-n', '3'], () => new Uint8Array(proposals[drawn++]));
  assert.equal(out.macs, ['00:16:3e:01:02:03', '00:16:3e:01:02:04', '00:16:3e:01:02:05']);
});

test('single-bridge: a MAC typed for the guest goes to its first moved vif by number (vif 2, not vif 10), "guest#10" to vif 10', async () => {
  const root = copyFixture('debian12');
  const vifs = Array.from({ length: 11 }, (_, i) => `'mac=00:16:3e:30:00:${i.toString(16).padStart(2, '0')},bridge=${i === 2 || i === 10 ? 'virbr0' : 'xenbr9'}'`);
  fs.writeFileSync(path.join(root, 'etc/xen/many.cfg'), `name = "many"\nmemory = 256\nvif = [ ${vifs.join(', ')} ]\n`);
  const host = await detectHost(new RootFs(root), { live: false, ip: async () => '[]' });
  const random = () => new Uint8Array([0x31, 0, 1]);
  const byIndex = (moves: ReturnType<typeof planVifMoves>) => Object.fromEntries(moves.filter((m) => m.guest === 'many').map((m) => [m.index, m.mac]));
  assert.equal(byIndex(planVifMoves(host, { macs: { many: '00:16:3e:3f:00:02' } }, ['many'], 'xenbr0', random)), { 2: '00:16:3e:3f:00:02', 10: null });
  assert.equal(byIndex(planVifMoves(host, { macs: { 'many#10': '00:16:3e:3f:00:0a' } }, ['many'], 'xenbr0', random)), { 2: null, 10: '00:16:3e:3f:00:0a' });
  assert.equal(planVifMoves(host, {}, ['many'], 'xenbr0', random).filter((m) => m.guest === 'many').map((m) => m.index), [2, 10]);
});

test('single-bridge: the guest without a MAC never gets the other guest\'s, even when the source proposes it first', async () => {
  const host = await detectHost(new RootFs(FIXTURES.centos5), { live: false, ip: async () => '[]' });
  assert.ok(host.macsInUse.includes('00:16:3e:17:d4:87'));
  const proposals = [[0x17, 0xd4, 0x87], [0x2a, 0x00, 0x01]];
  let drawn = 0;
  const moves = planVifMoves(host, {}, ['centos51u', 'centos51u2'], 'xenbr0', () => new Uint8Array(proposals[drawn++]));
  const macOf = (guest: string) => moves.find((m) => m.guest === guest)?.mac;
  assert.is(macOf('centos51u'), null, 'an existing MAC is kept as it is');
  assert.is(macOf('centos51u2'), '00:16:3e:2a:00:01');
});

test('the kernel\'s generator (src/system/random.ts) is the only source of randomness in the product: no Math.random anywhere in src/ or steps/', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.ts') && /\bMath\.random\b/.test(fs.readFileSync(full, 'utf8'))) offenders.push(path.relative(PROJECT, full));
    }
  };
  walk(path.join(PROJECT, 'src'));
  walk(path.join(PROJECT, 'steps'));
  assert.equal(offenders, []);
});

test('normalizeMac: the canonical fast path (issue 11) gives what splitting into octets gives, for any input', () => {
  const bySplitting = (text: string): string | null => {
    const parts = text.trim().split(/[:-]/);
    if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return null;
    return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
  };
  const hexDigit = fc.constantFrom(...'0123456789abcdefABCDEFgG ');
  const octet = fc.string({ unit: hexDigit, minLength: 0, maxLength: 3 });
  const macLike = fc.tuple(fc.array(octet, { minLength: 5, maxLength: 7 }), fc.constantFrom(':', '-', ' ', ''), fc.constantFrom('', ' ', '\n'))
    .map(([octets, sep, pad]) => pad + octets.join(sep) + pad);
  fc.assert(fc.property(fc.oneof(macLike, fc.string()), (text) => normalizeMac(text) === bySplitting(text)), { numRuns: 20000 });
  for (const text of ['00:16:3E:AA:bb:0C', '00:16:3e:aa:bb:0c', '0:16:3e:a:b:c', '00-16-3e-aa-bb-cc', ' 00:16:3e:aa:bb:cc ', '00:16:3e:aa:bb:cc\n', '00:16:3e:aa:bb']) {
    assert.is(normalizeMac(text), bySplitting(text), JSON.stringify(text));
  }
  assert.is(normalizeMac('00:16:3E:AA:BB:0C'), '00:16:3e:aa:bb:0c');
});

test('the context draws MACs from the kernel\'s generator (/dev/urandom, node:crypto the fallback): the asked number of fresh bytes', () => {
  const io: Io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {}, isRoot: true };
  const ctx = buildContext(parseCli(['mac', '--root', copyFixture('centos5')]), 'en', (key) => key, io, null);
  const src = fs.readFileSync(path.join(PROJECT, 'src/context.ts'), 'utf8');
  assert.match(src, /^import \{ randomBytes \} from '\.\/system\/random\.js';$/m);
  assert.match(src, /random: randomBytes,/);
  const random = fs.readFileSync(path.join(PROJECT, 'src/system/random.ts'), 'utf8');
  assert.match(random, /^const URANDOM = '\/dev\/urandom';$/m);
  assert.match(random, /nodeCrypto\(\)\.randomBytes\(n\)/);
  const a = ctx.random(16);
  assert.is(a.length, 16);
  assert.not.equal([...a], [...ctx.random(16)], 'two draws of 128 bits differ');
});

test.run();
