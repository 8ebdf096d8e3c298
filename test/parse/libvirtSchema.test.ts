// libvirt's own schema (virt-xml-validate) as the oracle of the XML suite (libvirtXml.test.ts): it
// rejects what we reject, and what we edit still validates. Slow (a process per check), so kept apart
// from the pure suite, which the mutation group edits-libvirt runs per mutant.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseDomainXml, parseNetworkXml, setInterfaceBridge, setInterfaceMac } from '../../src/parse/libvirtXml.js';
import { seedLines } from '../_helpers/roots.js';
import { missingValidator, testUnless } from '../_helpers/skip.js';
import { EDITS, MALFORMED, NETWORK_DIR, domainFiles, read } from '../_helpers/libvirtCases.js';

// ---- the oracle -------------------------------------------------------------------------------
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xnw-xml-'));
let tmpCount = 0;
function validates(text: string, kind: 'domain' | 'network'): boolean {
  const file = path.join(tmp, `${tmpCount++}.xml`);
  fs.writeFileSync(file, text);
  return spawnSync('virt-xml-validate', [file, kind], { stdio: 'ignore' }).status === 0;
}


// ---- the libvirt schema as oracle -------------------------------------------------------------
testUnless(test, missingValidator(), 'oracle: the schema rejects what we reject (malformed XML)', () => {
  for (const [name, text] of MALFORMED) {
    assert.not.ok(validates(text, 'domain'), `domain: ${name}`);
    assert.not.ok(validates(text, 'network'), `network: ${name}`);
  }
});

testUnless(test, missingValidator(), 'oracle: network corpus and the guide\'s virnet1 validate and parse', () => {
  const files = ['default.xml', ...fs.readdirSync(path.join(NETWORK_DIR, 'in')).map((f) => `in/${f}`), ...fs.readdirSync(path.join(NETWORK_DIR, 'out')).map((f) => `out/${f}`)];
  for (const rel of files) {
    const text = read(path.join(NETWORK_DIR, rel));
    assert.ok(validates(text, 'network'), rel);
    assert.ok(parseNetworkXml(text, rel).name, rel);
  }
  // The guide writes forwardDelay='0'; libvirt's schema (and parser) know only delay=. virsh net-define
  // does not validate, so the guide's file works, but the attribute is ignored.
  const virnet1 = seedLines(184, 189).join('\n') + '\n';
  assert.not.ok(validates(virnet1, 'network'), 'virnet1 as written');
  assert.ok(validates(virnet1.replace("forwardDelay='0'", "delay='0'"), 'network'), 'virnet1 with delay=');
});

testUnless(test, missingValidator(), 'oracle: every corpus domain that validates still validates after each interface edit', () => {
  let checked = 0;
  for (const file of domainFiles) {
    const text = read(file);
    if (!validates(text, 'domain')) continue; // libvirt 9's schema refuses a few old samples as they are
    parseDomainXml(text, file).interfaces.forEach((_, i) => {
      const bridged = setInterfaceBridge(text, file, i, 'xenbr0');
      assert.ok(validates(bridged, 'domain'), `${file} #${i} bridge`);
      assert.ok(validates(setInterfaceMac(bridged, file, i, '00:16:3e:12:34:56'), 'domain'), `${file} #${i} mac`);
      checked++;
    });
  }
  assert.ok(checked >= 35, `checked ${checked} interfaces`);
});

testUnless(test, missingValidator(), 'oracle: the edit table\'s outputs validate whenever their inputs do', () => {
  let checked = 0;
  for (const c of EDITS) {
    if (!validates(c.text, 'domain')) continue;
    assert.ok(validates(c.expected, 'domain'), c.name);
    checked++;
  }
  assert.ok(checked >= EDITS.length - 2, `only ${checked} inputs validate`);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
