// libvirt's status file of a running Xen domain (/run/libvirt/libxl/<name>.xml): the interface
// edit that makes libvirt's live XML follow a live move, which domain a file records, which
// daemon owns it and how it is restarted, and the steps a plan gets from them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  findLibvirtDaemon, libvirtStatusPath, libvirtStatusSteps, retargetStatusInterfaces, statusDomain,
} from '../../src/live/libvirtStatus.js';
import type { ReadFile } from '../../src/model/plan.js';

const UUID = '6b1f3a2e-0c4d-4e5f-8a9b-0c1d2e3f4a5b';

/** The shape libvirt 9.0 saves (virDomainObjSave): a comment, <domstatus>, the live <domain>. */
const status = (id: number, iface: string) => `<!--
WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE
OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:
  virsh edit lg1
or other application using the libvirt API.
-->

<domstatus state='running' reason='booted' pid='0'>
  <domain type='xen' id='${id}'>
    <name>lg1</name>
    <uuid>${UUID}</uuid>
    <devices>
${iface}      <console type='pty'/>
    </devices>
  </domain>
</domstatus>
`;

/** As the lab's libvirtd 9.0 wrote it for lg1 (test/lab/README.md): the network's port, then <actual>. */
const onNetwork = (vif: string) => `      <interface type='network'>
        <mac address='00:16:3e:1a:b0:21'/>
        <source network='default' portid='4983029c-a852-4afc-8af4-852b9a0fc8c7'/>
        <actual type='network'>
          <source bridge='virbr0'/>
        </actual>
        <target dev='${vif}'/>
      </interface>
`;

const onBridge = (vif: string, bridge: string) => `      <interface type='bridge'>
        <mac address='00:16:3e:1a:b0:21'/>
        <source bridge='${bridge}'/>
        <target dev='${vif}'/>
      </interface>
`;

test('the moved vif\'s interface becomes type=bridge on the new bridge, its <actual> allocation gone, every other byte kept', () => {
  const before = status(1, onNetwork('vif1.0'));
  const after = retargetStatusInterfaces(before, ['vif1.0'], 'virbr0', 'xenbr0', 'default');
  assert.is(after, status(1, onBridge('vif1.0', 'xenbr0')));
  // The live XML's form (virsh dumpxml: bridge= on the source, no <actual>) is matched by its bridge alone.
  const dumpForm = before.replace(/'\/>\n {8}<actual[\s\S]*?<\/actual>/, "' bridge='virbr0'/>");
  assert.match(dumpForm, /portid='[^']+' bridge='virbr0'\/>\n {8}<target/);
  assert.is(retargetStatusInterfaces(dumpForm, ['vif1.0'], 'virbr0', 'xenbr0', null), status(1, onBridge('vif1.0', 'xenbr0')));
  // A type='bridge' interface on the old bridge (a guest defined on virbr0 directly).
  assert.is(retargetStatusInterfaces(status(1, onBridge('vif1.0', 'virbr0')), ['vif1.0'], 'virbr0', 'xenbr0', null), status(1, onBridge('vif1.0', 'xenbr0')));
});

test('only the moved vifs, only on the old bridge: another vif, another bridge or another network is left, and nothing to do is null', () => {
  const two = status(3, onNetwork('vif3.0') + onBridge('vif3.1', 'br-lan'));
  const after = retargetStatusInterfaces(two, ['vif3.0', 'vif3.1'], 'virbr0', 'xenbr0', 'default');
  assert.is(after, status(3, onBridge('vif3.0', 'xenbr0') + onBridge('vif3.1', 'br-lan')));
  assert.is(retargetStatusInterfaces(two, ['vif3.1'], 'virbr0', 'xenbr0', 'default'), null);
  assert.is(retargetStatusInterfaces(status(3, onNetwork('vif3.0')), ['vif9.0'], 'virbr0', 'xenbr0', 'default'), null);
  const otherNet = status(3, onNetwork('vif3.0')).replace(/network='default'/, "network='isolated'").replace(/bridge='virbr0'/g, "bridge='virbr1'");
  assert.is(retargetStatusInterfaces(otherNet, ['vif3.0'], 'virbr0', 'xenbr0', 'default'), null);
});

test('which domain a status file records: the live <domain>\'s id and its uuid; none without them', () => {
  assert.equal(statusDomain(status(7, onNetwork('vif7.0'))), { id: 7, uuid: UUID });
  assert.equal(statusDomain(status(7, '').replace(UUID, UUID.toUpperCase())), { id: 7, uuid: UUID });
  assert.is(statusDomain("<domain type='xen'>\n  <uuid>" + UUID + '</uuid>\n</domain>\n'), null, 'an inactive definition has no id');
  assert.is(statusDomain('not xml'), null);
});

/** A dom0 of paths (text) and directories (entries). */
function root(files: Record<string, string>, dirs: Record<string, string[]> = {}): { read: ReadFile; list: (d: string) => string[] } {
  return {
    read: (p) => (p in files ? { text: files[p]!, mode: '0644' } : null),
    list: (d) => dirs[d] ?? [],
  };
}

test('the daemon: its pid file says which; systemd restarts it where it runs, else its init script after a stop that waits', () => {
  const sysv = root({ '/run/libvirtd.pid': '412\n', '/etc/init.d/libvirtd': '#!/bin/sh\n' });
  assert.equal(findLibvirtDaemon(sysv.read, sysv.list), {
    name: 'libvirtd',
    restart: [
      ['start-stop-daemon', '--stop', '--quiet', '--oknodo', '--retry', 'TERM/60', '--pidfile', '/run/libvirtd.pid', '--exec', '/usr/sbin/libvirtd'],
      ['/etc/init.d/libvirtd', 'start'],
    ],
  });
  const modular = root({ '/run/virtxend.pid': '77\n', '/run/libvirtd.pid': '' }, { '/run/systemd': ['system', 'journal'] });
  assert.equal(findLibvirtDaemon(modular.read, modular.list), { name: 'virtxend', restart: [['systemctl', 'restart', 'virtxend.service']] });
  const noScript = root({ '/run/libvirtd.pid': '412\n' });
  assert.is(findLibvirtDaemon(noScript.read, noScript.list), null, 'no init script and no systemd: nothing restarts it');
  assert.is(findLibvirtDaemon(root({}).read, root({}).list), null, 'no daemon running');
});

test('the steps: the status file (ephemeral, bound to its domain), then the restart, run again at rollback; none for a newer domain or without a daemon', () => {
  const path = libvirtStatusPath('lg1');
  const dom0 = root({ [path]: status(1, onNetwork('vif1.0')), '/run/libvirtd.pid': '412\n' }, { '/run/systemd': ['system'] });
  const daemon = findLibvirtDaemon(dom0.read, dom0.list);
  const steps = libvirtStatusSteps([{ guest: 'lg1', domid: 1, vifs: ['vif1.0'] }], dom0.read, 'virbr0', 'xenbr0', 'default', daemon);
  assert.equal(steps.map((s) => s.id), ['edit:/run/libvirt/libxl/lg1.xml', 'run:libvirt-daemon-restart-1']);
  assert.equal(steps[0]!.file, {
    path, mode: '0644', before: status(1, onNetwork('vif1.0')), after: status(1, onBridge('vif1.0', 'xenbr0')),
    ephemeral: true, runningDomain: { id: 1, uuid: UUID },
  });
  assert.equal(steps[0]!.title, { key: 'step.libvirtStatus', params: { guest: 'lg1', bridge: 'xenbr0' } });
  assert.equal(steps[1], {
    id: 'run:libvirt-daemon-restart-1', kind: 'command', phase: 'finally', argv: ['systemctl', 'restart', 'libvirtd.service'],
    title: { key: 'step.libvirtDaemonRestart', params: { daemon: 'libvirtd' } }, rerunOnRollback: true,
  });
  // The file records another domid than the running one (read between a restart and its save).
  assert.equal(libvirtStatusSteps([{ guest: 'lg1', domid: 2, vifs: ['vif2.0'] }], dom0.read, 'virbr0', 'xenbr0', 'default', daemon), []);
  assert.equal(libvirtStatusSteps([{ guest: 'lg1', domid: 1, vifs: ['vif1.0'] }], dom0.read, 'virbr0', 'xenbr0', 'default', null), []);
  assert.equal(libvirtStatusSteps([{ guest: 'gone', domid: 1, vifs: ['vif1.0'] }], dom0.read, 'virbr0', 'xenbr0', 'default', daemon), []);
});

test.run();
