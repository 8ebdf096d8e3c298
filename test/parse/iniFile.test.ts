// Key files (NetworkManager keyfile, systemd-networkd): table tests of reading and of the edit that
// replaces one value or adds one line, every other byte kept. The corpus runs in test/trust/corpus.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseIni, getIniValue, setIniValue } from '../../src/parse/iniFile.js';
import { InputError } from '../../src/errors.js';

const NETWORK = '[Match]\nName=eno1\n\n# the LAN\n[Network]\nBridge = xenbr0 \n\n[Address]\nAddress=192.168.1.3/24\n[Address]\nAddress=10.0.0.1/8\n';

test('reads sections, trimmed values and repeated sections (the last one wins)', () => {
  const ini = parseIni(NETWORK, 'eno1.network');
  assert.equal(ini.sections.map((s) => s.name), ['Match', 'Network', 'Address', 'Address']);
  assert.is(getIniValue(ini, 'Network', 'Bridge'), 'xenbr0');
  assert.is(getIniValue(ini, 'Address', 'Address'), '10.0.0.1/8');
  assert.is(getIniValue(ini, 'Network', 'DHCP'), undefined);
});

const EDITS: [string, string, string, string, string][] = [
  // [name, section, key, value, expected text]
  ['value replaced in place, blanks around it kept', 'Network', 'Bridge', 'br1', NETWORK.replace('Bridge = xenbr0 ', 'Bridge = br1 ')],
  ['the last repeated section is edited', 'Address', 'Address', '10.0.0.2/8', NETWORK.replace('10.0.0.1/8', '10.0.0.2/8')],
  ['a missing key goes after the section\'s last line', 'Match', 'Type', 'ether', NETWORK.replace('Name=eno1\n', 'Name=eno1\nType=ether\n')],
  ['a missing section goes at the end', 'Link', 'MTUBytes', '9000', `${NETWORK}\n[Link]\nMTUBytes=9000\n`],
];
for (const [name, section, key, value, expected] of EDITS) {
  test(`edit: ${name}`, () => {
    assert.is(setIniValue(NETWORK, 'f', section, key, value), expected);
  });
}

test('CRLF files stay CRLF; a value with a line break and a key outside any section are refused', () => {
  const crlf = '[connection]\r\nid=br0\r\n';
  assert.is(setIniValue(crlf, 'f', 'connection', 'id', 'xenbr0'), '[connection]\r\nid=xenbr0\r\n');
  assert.is(setIniValue(crlf, 'f', 'connection', 'type', 'bridge'), '[connection]\r\nid=br0\r\ntype=bridge\r\n');
  assert.throws(() => setIniValue(crlf, 'f', 'connection', 'id', 'a\nb'), (e: unknown) => e instanceof InputError && e.key === 'error.iniValue');
  assert.throws(() => parseIni('id=br0\n[connection]\n', 'f'), (e: unknown) => e instanceof InputError && e.params.line === 1);
  assert.throws(() => parseIni('[connection]\njust words\n', 'f'), (e: unknown) => e instanceof InputError && e.params.line === 2);
});

test.run();
