// libvirt's XML of the shared corpus and the tables of edits and malformed files, for the pure
// suite (test/parse/libvirtXml.test.ts, what the mutation group edits-libvirt runs) and the schema
// oracle (test/parse/libvirtSchema.test.ts: virt-xml-validate, slow).
import fs from 'node:fs';
import path from 'node:path';
import { seedLines } from './roots.js';

export const CORPUS = '/work/shared/corpus';
export const DOMAIN_DIRS = ['libvirt-xlconfigdata', 'libvirt-xmconfigdata'].map((d) => path.join(CORPUS, d));
export const NETWORK_DIR = path.join(CORPUS, 'libvirt-networkxml');
export const domainFiles = DOMAIN_DIRS.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.xml')).map((f) => path.join(d, f)));
export const read = (f: string) => fs.readFileSync(f, 'utf8');

export const domain = (devices: string, before = '') =>
  `<domain type='xen'>\n  <name>g</name>\n  <memory>524288</memory>\n  <os>\n    <type>linux</type>\n  </os>\n${before}  <devices>\n${devices}  </devices>\n</domain>\n`;

export interface EditCase { name: string; text: string; index: number; op: 'bridge' | 'mac'; value: string; expected: string }

export const guideBefore = domain(seedLines(50, 52).join('\n') + '\n</interface>\n');
export const mac0 = '00:16:3e:17:d4:87';
const commented = `  <description><![CDATA[<interface type='bridge'><source bridge='virbr0'/></interface>]]></description>\n  <!-- <source bridge='virbr0'/> -->\n`;

export const EDITS: EditCase[] = [
  {
    name: 'the guide: seed 000 lines 50–52 → 56–58',
    text: guideBefore, index: 0, op: 'bridge', value: 'xenbr0',
    expected: domain(seedLines(56, 58).join('\n') + '\n</interface>\n'),
  },
  {
    name: "type='network' + <source network='default'/> becomes a bridge interface",
    text: domain(`    <interface type='network'>\n      <mac address='${mac0}'/>\n      <source network='default'/>\n      <model type='netfront'/>\n    </interface>\n`),
    index: 0, op: 'bridge', value: 'xenbr0',
    expected: domain(`    <interface type='bridge'>\n      <mac address='${mac0}'/>\n      <source bridge='xenbr0'/>\n      <model type='netfront'/>\n    </interface>\n`),
  },
  {
    name: "a running guest's dump: network source with portid and virbr0 loses both",
    text: domain(`    <interface type='network'>\n      <mac address='${mac0}'/>\n      <source network='default' portid='5a6c2c4e-1f0e-4b8b-9d3e-0c7f0f3b6a11' bridge='virbr0'/>\n      <target dev='vif1.0'/>\n    </interface>\n`),
    index: 0, op: 'bridge', value: 'xenbr0',
    expected: domain(`    <interface type='bridge'>\n      <mac address='${mac0}'/>\n      <source bridge='xenbr0'/>\n      <target dev='vif1.0'/>\n    </interface>\n`),
  },
  {
    name: 'no <source>: inserted after <mac> with the siblings\' indentation',
    text: domain(`    <interface type='ethernet'>\n      <mac address='${mac0}'/>\n      <script path='vif-bridge'/>\n    </interface>\n`),
    index: 0, op: 'bridge', value: 'xenbr0',
    expected: domain(`    <interface type='bridge'>\n      <mac address='${mac0}'/>\n      <source bridge='xenbr0'/>\n      <script path='vif-bridge'/>\n    </interface>\n`),
  },
  {
    name: 'no <source> and no <mac>: inserted as the first child',
    text: domain(`\t<interface type='bridge'>\n\t\t<script path='vif-bridge'/>\n\t</interface>\n`),
    index: 0, op: 'bridge', value: 'xenbr0',
    expected: domain(`\t<interface type='bridge'>\n\t\t<source bridge='xenbr0'/>\n\t\t<script path='vif-bridge'/>\n\t</interface>\n`),
  },
  {
    name: 'no <mac>: inserted as the first child',
    text: domain(`    <interface type='bridge'>\n      <source bridge='xenbr0'/>\n    </interface>\n`),
    index: 0, op: 'mac', value: '00:16:3e:00:00:01',
    expected: domain(`    <interface type='bridge'>\n      <mac address='00:16:3e:00:00:01'/>\n      <source bridge='xenbr0'/>\n    </interface>\n`),
  },
  {
    name: 'self-closing <interface/>: opened up, one level deeper',
    text: domain(`    <interface type='bridge'/>\n`),
    index: 0, op: 'mac', value: '00:16:3e:00:00:01',
    expected: domain(`    <interface type='bridge'>\n      <mac address='00:16:3e:00:00:01'/>\n    </interface>\n`),
  },
  {
    name: 'double quotes stay double (bridge)',
    text: domain(`    <interface type="bridge">\n      <mac address="${mac0}"/>\n      <source bridge="virbr0"/>\n    </interface>\n`),
    index: 0, op: 'bridge', value: 'xenbr0',
    expected: domain(`    <interface type="bridge">\n      <mac address="${mac0}"/>\n      <source bridge="xenbr0"/>\n    </interface>\n`),
  },
  {
    name: 'double quotes stay double (mac, and a new <source> uses them too)',
    text: domain(`    <interface type="bridge">\n      <mac address="${mac0}"/>\n    </interface>\n`),
    index: 0, op: 'mac', value: '00:16:3e:aa:bb:cc',
    expected: domain(`    <interface type="bridge">\n      <mac address="00:16:3e:aa:bb:cc"/>\n    </interface>\n`),
  },
  {
    name: 'two interfaces: only the 2nd changes (bridge)',
    text: domain(`    <interface type='bridge'>\n      <mac address='${mac0}'/>\n      <source bridge='virbr0'/>\n    </interface>\n    <interface type='bridge'>\n      <mac address='00:16:3e:17:d4:88'/>\n      <source bridge='virbr0'/>\n    </interface>\n`),
    index: 1, op: 'bridge', value: 'xenbr1',
    expected: domain(`    <interface type='bridge'>\n      <mac address='${mac0}'/>\n      <source bridge='virbr0'/>\n    </interface>\n    <interface type='bridge'>\n      <mac address='00:16:3e:17:d4:88'/>\n      <source bridge='xenbr1'/>\n    </interface>\n`),
  },
  {
    name: 'two interfaces: only the 2nd changes (mac)',
    text: domain(`    <interface type='bridge'>\n      <mac address='${mac0}'/>\n    </interface>\n    <interface type='bridge'>\n      <mac address='${mac0}'/>\n    </interface>\n`),
    index: 1, op: 'mac', value: '00:16:3e:17:d4:99',
    expected: domain(`    <interface type='bridge'>\n      <mac address='${mac0}'/>\n    </interface>\n    <interface type='bridge'>\n      <mac address='00:16:3e:17:d4:99'/>\n    </interface>\n`),
  },
  {
    name: 'comments and CDATA that look like interfaces are left alone',
    text: domain(`    <!-- <interface type='network'><source network='default'/></interface> -->\n    <interface type='bridge'>\n      <!-- was virbr0 -->\n      <source bridge='virbr0'/>\n    </interface>\n`, commented),
    index: 0, op: 'bridge', value: 'xenbr0',
    expected: domain(`    <!-- <interface type='network'><source network='default'/></interface> -->\n    <interface type='bridge'>\n      <!-- was virbr0 -->\n      <source bridge='xenbr0'/>\n    </interface>\n`, commented),
  },
  {
    name: 'a comment before the first child: the new <mac> goes on its own line before the element',
    text: domain(`    <interface type='bridge'>\n      <!-- uplink -->\n      <source bridge='xenbr0'/>\n    </interface>\n`),
    index: 0, op: 'mac', value: '00:16:3e:00:00:03',
    expected: domain(`    <interface type='bridge'>\n      <!-- uplink -->\n      <mac address='00:16:3e:00:00:03'/>\n      <source bridge='xenbr0'/>\n    </interface>\n`),
  },
  {
    name: 'an interface written on one line stays on one line',
    text: domain(`    <interface type='network'><mac address='${mac0}'/><model type='e1000'/></interface>\n`),
    index: 0, op: 'bridge', value: 'xenbr0',
    expected: domain(`    <interface type='bridge'><mac address='${mac0}'/><source bridge='xenbr0'/><model type='e1000'/></interface>\n`),
  },
  {
    name: 'an empty <interface></interface> gets the child on its own line',
    text: domain(`    <interface type='bridge'></interface>\n`),
    index: 0, op: 'bridge', value: 'xenbr0',
    expected: domain(`    <interface type='bridge'>\n      <source bridge='xenbr0'/>\n    </interface>\n`),
  },
  {
    name: 'CRLF line ends are kept in the inserted line',
    text: domain(`    <interface type='bridge'>\r\n      <source bridge='xenbr0'/>\r\n    </interface>\n`),
    index: 0, op: 'mac', value: '00:16:3e:00:00:02',
    expected: domain(`    <interface type='bridge'>\r\n      <mac address='00:16:3e:00:00:02'/>\r\n      <source bridge='xenbr0'/>\r\n    </interface>\n`),
  },
];


export const MALFORMED: [string, string, number][] = [
  // name, text, line of the fault
  ['mismatched close tag', `<domain>\n  <devices>\n  </domain>\n`, 3],
  ['unclosed root', `<domain>\n  <name>g</name>\n`, 3],
  ['unquoted attribute', `<domain>\n<interface type=bridge/>\n</domain>`, 2],
  ['duplicate attribute', `<domain>\n\n<source bridge='a' bridge='b'/>\n</domain>`, 3],
  ['two roots', `<domain/>\n<domain/>\n`, 2],
  ['undefined entity', `<domain>\n<name>&nbsp;</name>\n</domain>`, 2],
  ['empty file', ``, 1],
];
