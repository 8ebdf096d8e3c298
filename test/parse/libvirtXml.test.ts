// libvirt domain/network XML: the corpus parses and agrees with its paired xm/xl configs, edits are
// byte-exact outside the changed interface. libvirt's own schema (virt-xml-validate) as the oracle of
// the same tables: libvirtSchema.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { appendInterface, parseDomainXml, parseNetworkXml, setInterfaceBridge, setInterfaceMac } from '../../src/parse/libvirtXml.js';
import { InputError } from '../../src/errors.js';
import { seedLines } from '../_helpers/roots.js';
import { CORPUS, EDITS, MALFORMED, NETWORK_DIR, domain, domainFiles, guideBefore, mac0, read } from '../_helpers/libvirtCases.js';

/** Each edit is refused with this message key and these params. */
function assertRefusals(cases: [() => string, string, Record<string, unknown>][]) {
  for (const [run, key, params] of cases) {
    try {
      run();
      assert.unreachable(key);
    } catch (err) {
      assert.instance(err, InputError);
      assert.equal([(err as InputError).key, (err as InputError).params], [key, params]);
    }
  }
}

/** Everything before the interface's start and after its end is byte-identical. */
function assertOnlyInterfaceChanged(before: string, after: string, index: number) {
  const itf = parseDomainXml(before, 'before.xml').interfaces[index];
  assert.is(after.slice(0, itf.start), before.slice(0, itf.start), 'bytes before the interface changed');
  assert.is(after.slice(after.length - (before.length - itf.end)), before.slice(itf.end), 'bytes after the interface changed');
}

// ---- corpus: every file parses and matches its paired config -------------------------------------
/** The vif entries of a paired .cfg: the double-quoted strings of its `vif = [ ... ]` line, split into key=value. */
function cfgVifs(cfg: string): Record<string, string>[] {
  const line = cfg.split('\n').find((l) => l.split('=')[0].trim() === 'vif');
  if (!line) return [];
  const quoted = line.split('"').filter((_, i) => i % 2 === 1);
  return quoted.map((s) => Object.fromEntries(s.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')).trim(), kv.slice(kv.indexOf('=') + 1).trim()])));
}

test('every corpus domain XML parses, with a name, and <interface> ranges cover the element', () => {
  assert.ok(domainFiles.length >= 45, `corpus has ${domainFiles.length} files`);
  let interfaces = 0;
  for (const file of domainFiles) {
    const text = read(file);
    const dom = parseDomainXml(text, file);
    assert.ok(dom.name, file);
    for (const itf of dom.interfaces) {
      const src = text.slice(itf.start, itf.end);
      assert.ok(src.startsWith('<interface') && src.endsWith('</interface>'), `${file}: ${src}`);
      interfaces++;
    }
  }
  assert.ok(interfaces >= 40, `found ${interfaces} interfaces`);
});

test('interfaces agree with the paired xm/xl config: count, mac, bridge', () => {
  let compared = 0;
  for (const file of domainFiles) {
    const cfgFile = file.replace(/\.xml$/, '.cfg');
    if (!fs.existsSync(cfgFile)) continue;
    const vifs = cfgVifs(read(cfgFile));
    const { interfaces } = parseDomainXml(read(file), file);
    assert.is(interfaces.length, vifs.length, file);
    vifs.forEach((vif, i) => {
      assert.is(interfaces[i].mac, vif.mac ?? null, `${file} mac`);
      // vif-openvswitch puts the VLANs in the bridge name (ovsbr0.42, ovsbr0:42:43); libvirt keeps them in <vlan>.
      const bridge = vif.bridge === undefined ? null : vif.bridge.split(/[.:]/)[0];
      assert.is(interfaces[i].bridge, bridge, `${file} bridge`);
      compared++;
    });
  }
  assert.ok(compared >= 40, `compared ${compared} vifs`);
});

test('hand-checked corpus interfaces: script, model, type', () => {
  const rows: [string, Partial<ReturnType<typeof parseDomainXml>['interfaces'][number]>][] = [
    ['libvirt-xmconfigdata/test-paravirt-net-vifname.xml', { type: 'bridge', mac: '00:16:3e:66:94:9c', bridge: 'br0', script: 'vif-bridge', model: 'e1000', network: null }],
    ['libvirt-xlconfigdata/test-paravirt-maxvcpus.xml', { type: 'ethernet', mac: '5a:36:0e:be:00:09', bridge: null, script: null, model: null }],
    ['libvirt-xlconfigdata/test-fullvirt-ovswitch-trunked.xml', { bridge: 'ovsbr0', script: 'vif-openvswitch', model: 'e1000' }],
    ['libvirt-xlconfigdata/test-vif-typename.xml', { model: 'netfront' }],
  ];
  for (const [rel, expected] of rows) {
    const [itf] = parseDomainXml(read(path.join(CORPUS, rel)), rel).interfaces;
    for (const [k, v] of Object.entries(expected)) assert.is(itf[k as keyof typeof itf], v, `${rel} ${k}`);
  }
  assert.equal(parseDomainXml(read(path.join(CORPUS, 'libvirt-xlconfigdata/test-pvh-type.xml')), 'x').interfaces, []);
});

// ---- network XML ------------------------------------------------------------------------------
test('network corpus: name, bridge, forward mode/dev, ips', () => {
  const rows: [string, string, string | null, string | null, string | null, number][] = [
    // file, name, bridge, forwardMode, forwardDev, ip count
    ['default.xml', 'default', 'virbr0', 'nat', null, 1],
    ['default.xml.in', 'default', 'virbr0', 'nat', null, 1],
    ['in/isolated-network.xml', 'private', 'virbr2', null, null, 1],
    ['in/routed-network.xml', 'local', 'virbr1', 'route', 'eth1', 1],
    ['in/dhcp6host-routed-network.xml', 'local', 'virbr1', 'route', 'eth1', 2],
    ['in/nat-network.xml', 'default', 'virbr0', 'nat', 'eth1', 5],
    ['in/nat-network-forward-nat-address.xml', 'default', 'virbr0', 'nat', 'eth1', 5],
    ['in/host-bridge-net.xml', 'host-bridge-net', 'br0', 'bridge', null, 0],
    ['in/openvswitch-net.xml', 'openvswitch-net', null, 'bridge', null, 0],
    ['in/direct-net.xml', 'direct-net', null, 'bridge', null, 0],
    ['in/vepa-net.xml', 'vepa-net', null, 'vepa', null, 0],
    ['in/hostdev.xml', 'hostdev', null, 'hostdev', null, 0],
    ['in/bandwidth-network.xml', 'test-net', 'virbr1', 'nat', null, 1],
    ['out/nat-network.xml', 'default', 'virbr0', 'nat', 'eth1', 5],
  ];
  for (const [rel, name, bridge, mode, dev, ips] of rows) {
    const net = parseNetworkXml(read(path.join(NETWORK_DIR, rel)), rel);
    assert.equal([net.name, net.bridge, net.forwardMode, net.forwardDev, net.ips.length], [name, bridge, mode, dev, ips], rel);
  }
  const nat = parseNetworkXml(read(path.join(NETWORK_DIR, 'in/nat-network.xml')), 'nat');
  assert.equal(nat.ips[2], { address: '2001:db8:ac10:fe01::1', netmask: null, prefix: '64' });
  assert.equal(nat.ips[4], { address: '10.24.10.1', netmask: null, prefix: null });
});

test("the guide's virnet1 network (seed 000 lines 184–189), mixed quote styles", () => {
  const net = parseNetworkXml(seedLines(184, 189).join('\n') + '\n', 'virnet1.xml');
  assert.equal(net.name, 'virnet1');
  assert.equal(net.bridge, 'virbr1');
  assert.equal(net.forwardMode, null);
  assert.equal(net.ips, [{ address: '192.168.200.1', netmask: '255.255.255.0', prefix: null }]);
});

// ---- edits ------------------------------------------------------------------------------------
for (const c of EDITS) {
  test(`edit: ${c.name}`, () => {
    const after = c.op === 'bridge' ? setInterfaceBridge(c.text, 'g.xml', c.index, c.value) : setInterfaceMac(c.text, 'g.xml', c.index, c.value);
    // assert.is, not assert.fixture: fixture() folds CRLF to LF and strips the common indentation.
    assert.is(after, c.expected);
    assertOnlyInterfaceChanged(c.text, after, c.index);
    const was = parseDomainXml(c.text, 'before.xml').interfaces;
    const now = parseDomainXml(after, 'after.xml').interfaces;
    assert.is(now.length, was.length);
    if (c.op === 'bridge') assert.equal([now[c.index].type, now[c.index].bridge, now[c.index].network], ['bridge', c.value, null]);
    else assert.is(now[c.index].mac, c.value);
    // Idempotent: setting the same value again changes nothing.
    const again = c.op === 'bridge' ? setInterfaceBridge(after, 'g.xml', c.index, c.value) : setInterfaceMac(after, 'g.xml', c.index, c.value);
    assert.is(again, after);
  });
}

test('edits escape markup characters in values for their quote style', () => {
  const text = domain(`    <interface type="bridge">\n      <source bridge="virbr0"/>\n    </interface>\n`);
  const after = setInterfaceBridge(text, 'g.xml', 0, `a&b<"'`);
  assert.ok(after.includes(`<source bridge="a&amp;b&lt;&quot;'"/>`));
  assert.is(parseDomainXml(after, 'g.xml').interfaces[0].bridge, `a&b<"'`);
});

test('refusals: interface types that a bridge source cannot express, and a missing interface', () => {
  const direct = domain(`    <interface type='direct'>\n      <source dev='eth0' mode='vepa'/>\n    </interface>\n`);
  const cases: [() => string, string, Record<string, unknown>][] = [
    [() => setInterfaceBridge(direct, 'd.xml', 0, 'xenbr0'), 'error.xmlInterfaceType', { file: 'd.xml', index: 0, type: 'direct' }],
    [() => setInterfaceBridge(guideBefore, 'g.xml', 1, 'xenbr0'), 'error.xmlNoInterface', { file: 'g.xml', index: 1, count: 1 }],
    [() => setInterfaceMac(guideBefore, 'g.xml', 3, mac0), 'error.xmlNoInterface', { file: 'g.xml', index: 3, count: 1 }],
  ];
  assertRefusals(cases);
});

// ---- malformed XML ----------------------------------------------------------------------------
for (const [name, text, line] of MALFORMED) {
  test(`malformed XML is an InputError with its line: ${name}`, () => {
    for (const parse of [parseDomainXml, parseNetworkXml]) {
      try {
        parse(text, 'bad.xml');
        assert.unreachable('parsed');
      } catch (err) {
        assert.instance(err, InputError);
        const e = err as InputError;
        assert.is(e.key, 'error.xmlSyntax');
        assert.is(e.params.file, 'bad.xml');
        assert.is(e.params.line, line);
        assert.ok(Number(e.params.column) >= 1);
        assert.type(e.params.detail, 'string');
        assert.not.match(String(e.params.detail), /^\d+:\d+/);
      }
    }
  });
}


// ---- the shapes the edit table does not reach ----------------------------------------------------
const dom = (devices: string) => `<domain type='xen'>\n  <name>g</name>\n  <devices>\n${devices}  </devices>\n</domain>\n`;
const ifc = (inner: string) => dom(`    <interface type='bridge'>\n${inner}    </interface>\n`);
const SHAPES: [string, () => string, string][] = [
  // name, edit, the whole result
  ['no type attribute: type=\'bridge\' added, <source> after <mac>', () => setInterfaceBridge(dom(`    <interface>\n      <mac address='00:16:3e:00:00:01'/>\n    </interface>\n`), 'f', 0, 'xenbr0'),
    ifc(`      <mac address='00:16:3e:00:00:01'/>\n      <source bridge='xenbr0'/>\n`)],
  ['no type, children on the tag\'s line: type added after the name, the source value replaced', () => setInterfaceBridge(dom(`    <interface><source bridge='a'/></interface>\n`), 'f', 0, 'xenbr0'),
    dom(`    <interface type='bridge'><source bridge='xenbr0'/></interface>\n`)],
  ['an empty <source/> gets bridge=', () => setInterfaceBridge(ifc(`      <source/>\n`), 'f', 0, 'xenbr0'), ifc(`      <source bridge='xenbr0'/>\n`)],
  ['a self-closing network interface is opened, the source one level deeper', () => setInterfaceBridge(dom(`    <interface type='network'/>\n`), 'f', 0, 'xenbr0'),
    ifc(`      <source bridge='xenbr0'/>\n`)],
  ['an empty interface over two lines', () => setInterfaceBridge(dom(`    <interface type='network'>\n    </interface>\n`), 'f', 0, 'xenbr0'), ifc(`      <source bridge='xenbr0'/>\n`)],
  ['the network\'s bridge= on a continued line goes with its line break', () => setInterfaceBridge(dom(`    <interface type='network'><source network='default'\n        bridge='virbr0'/></interface>\n`), 'f', 0, 'xenbr0'),
    dom(`    <interface type='bridge'><source bridge='xenbr0'/></interface>\n`)],
  ['CRLF and double quotes: the new <source> line first, in their style', () => setInterfaceBridge(dom(`    <interface type="ethernet">\r\n      <script path="vif-bridge"/>\r\n    </interface>\n`), 'f', 0, 'xenbr0'),
    dom(`    <interface type="bridge">\r\n      <source bridge="xenbr0"/>\r\n      <script path="vif-bridge"/>\r\n    </interface>\n`)],
  ['<mac/> without address gets one', () => setInterfaceMac(ifc(`      <mac/>\n`), 'f', 0, '00:16:3e:00:00:02'), ifc(`      <mac address='00:16:3e:00:00:02'/>\n`)],
  ['a new <mac> goes first, tab-indented like its sibling', () => setInterfaceMac(dom(`\t<interface type="bridge">\n\t\t<source bridge="a"/>\n\t</interface>\n`), 'f', 0, '00:16:3e:00:00:02'),
    dom(`\t<interface type="bridge">\n\t\t<mac address="00:16:3e:00:00:02"/>\n\t\t<source bridge="a"/>\n\t</interface>\n`)],
  ['a new <mac> in a self-closing interface', () => setInterfaceMac(dom(`    <interface type='bridge'/>\n`), 'f', 0, '00:16:3e:00:00:02'), ifc(`      <mac address='00:16:3e:00:00:02'/>\n`)],
  ['a new <mac> before a sibling on the same line', () => setInterfaceMac(dom(`    <interface type='bridge'><source bridge='a'/></interface>\n`), 'f', 0, '00:16:3e:00:00:02'),
    dom(`    <interface type='bridge'><mac address='00:16:3e:00:00:02'/><source bridge='a'/></interface>\n`)],
  ['append after the last other device, without a script', () => appendInterface(dom(`    <disk type="file"/>\n`), 'f', { bridge: 'xenbr0', mac: '00:16:3e:00:00:01' }),
    dom(`    <disk type="file"/>\n    <interface type='bridge'>\n      <mac address='00:16:3e:00:00:01'/>\n      <source bridge='xenbr0'/>\n    </interface>\n`)],
  ['append after the last interface, in its tabs and double quotes', () => appendInterface(dom(`\t\t<interface type="bridge">\n\t\t\t<source bridge="a"/>\n\t\t</interface>\n`), 'f', { bridge: 'xenbr0', mac: '00:16:3e:00:00:01' }),
    dom(`\t\t<interface type="bridge">\n\t\t\t<source bridge="a"/>\n\t\t</interface>\n\t\t<interface type="bridge">\n\t\t\t<mac address="00:16:3e:00:00:01"/>\n\t\t\t<source bridge="xenbr0"/>\n\t\t</interface>\n`)],
  ['append into <devices/> with CRLF line ends', () => appendInterface(`<domain type='xen'>\r\n  <devices/>\r\n</domain>\r\n`, 'f', { bridge: 'xenbr0', mac: '00:16:3e:00:00:01' }),
    `<domain type='xen'>\r\n  <devices>\r\n    <interface type='bridge'>\r\n      <mac address='00:16:3e:00:00:01'/>\r\n      <source bridge='xenbr0'/>\r\n    </interface>\r\n  </devices>\r\n</domain>\r\n`],
  ['append into an empty <devices></devices> on one line', () => appendInterface(`<domain type='xen'>\n  <devices></devices>\n</domain>\n`, 'f', { bridge: 'xenbr0', mac: '00:16:3e:00:00:01' }),
    `<domain type='xen'>\n  <devices>\n    <interface type='bridge'>\n      <mac address='00:16:3e:00:00:01'/>\n      <source bridge='xenbr0'/>\n    </interface>\n  </devices>\n</domain>\n`],
  ['a whole domain on one line: the source on a line of its own, the other bytes kept', () => setInterfaceBridge(`<domain type='xen'><devices><interface type='network'/></devices></domain>\n`, 'f', 0, 'xenbr0'),
    `<domain type='xen'><devices><interface type='bridge'>\n  <source bridge='xenbr0'/>\n</interface></devices></domain>\n`],
  ['append to a domain on one line: the default indentation', () => appendInterface(`<domain type='xen'><devices><disk type='file'/></devices></domain>\n`, 'f', { bridge: 'xenbr0', mac: '00:16:3e:00:00:01' }),
    `<domain type='xen'><devices><disk type='file'/>\n    <interface type='bridge'>\n      <mac address='00:16:3e:00:00:01'/>\n      <source bridge='xenbr0'/>\n    </interface></devices></domain>\n`],
  ['a self-closing interface in a tab-indented file: the source one tab deeper', () => setInterfaceBridge(dom(`\t\t<interface type='network'/>\n`), 'f', 0, 'xenbr0'),
    dom(`\t\t<interface type='bridge'>\n\t\t\t<source bridge='xenbr0'/>\n\t\t</interface>\n`)],
  ['no type but another attribute: type added after it, the other left alone', () => setInterfaceBridge(dom(`    <interface trustGuestRxFilters='yes'>\n      <source bridge='a'/>\n    </interface>\n`), 'f', 0, 'xenbr0'),
    dom(`    <interface trustGuestRxFilters='yes' type='bridge'>\n      <source bridge='xenbr0'/>\n    </interface>\n`)],
  ['<mac type=\'static\' address=…>: only the address changes', () => setInterfaceMac(ifc(`      <mac type='static' address='00:16:3e:00:00:01'/>\n`), 'f', 0, '00:16:3e:00:00:02'),
    ifc(`      <mac type='static' address='00:16:3e:00:00:02'/>\n`)],
  ['<mac> with other attributes and no address: address added last', () => setInterfaceMac(ifc(`      <mac type='static' check='yes'/>\n`), 'f', 0, '00:16:3e:00:00:02'),
    ifc(`      <mac type='static' check='yes' address='00:16:3e:00:00:02'/>\n`)],
];
for (const [name, edit, want] of SHAPES) test(`edit shape: ${name}`, () => assert.is(edit(), want));

test('refusals with their params: a hostdev interface without a source, a bridge source naming a device, a network document', () => {
  const cases: [() => string, string, Record<string, unknown>][] = [
    [() => setInterfaceBridge(dom(`    <interface type='hostdev'>\n      <mac address='00:16:3e:00:00:01'/>\n    </interface>\n`), 'f', 0, 'xenbr0'), 'error.xmlInterfaceType', { file: 'f', index: 0, type: 'hostdev' }],
    [() => setInterfaceBridge(ifc(`      <source dev='eth0'/>\n`), 'f', 0, 'xenbr0'), 'error.xmlInterfaceType', { file: 'f', index: 0, type: 'bridge' }],
    [() => setInterfaceBridge(dom(`    <interface>\n      <source dev='eth0'/>\n    </interface>\n`), 'f', 0, 'xenbr0'), 'error.xmlInterfaceType', { file: 'f', index: 0, type: '' }],
    [() => appendInterface(`<network><devices/></network>`, 'n.xml', { bridge: 'xenbr0', mac: '00:16:3e:00:00:01' }), 'error.xmlNoDevices', { file: 'n.xml' }],
  ];
  assertRefusals(cases);
});

test.run();
