// libxl's stored domain config follows a live vif move: only the moved vifs' "bridge" changes, every
// other byte stays (so rollback's byte-exact restore and the plan's diff are that line), and the
// file step is ephemeral (libxl deletes it with its domain).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { libxlConfigPaths, libxlConfigSteps, retargetLibxlBridge, retargetXlUserdata, xlUserdataPath } from '../../src/live/libxlConfig.js';
import { InputError } from '../../src/errors.js';

// The layout libxl writes (yajl, beautified, 4 spaces), cut down to what matters here.
const stored = `{
    "c_info": {
        "type": "pv",
        "name": "g1",
        "uuid": "5a1d0c2e-9a63-4c1b-8f0e-2b7d3f6a9c11"
    },
    "b_info": {
        "extra": "bridge=virbr0 in a string is not a key"
    },
    "nics": [
        {
            "devid": 0,
            "mac": "00:16:3e:1a:b0:01",
            "bridge": "virbr0",
            "script": "vif-bridge"
        },
        {
            "devid": 1,
            "mac": "00:16:3e:1a:b0:11",
            "bridge": "virbr0"
        },
        {
            "devid": 2,
            "mac": "00:16:3e:1a:b0:21",
            "bridge": "br-storage"
        }
    ],
    "on_reboot": "restart"
}
`;

test('only the moved vifs that name the old bridge change, byte for byte elsewhere', () => {
  const after = retargetLibxlBridge(stored, [0, 2], 'virbr0', 'xenbr0');
  assert.ok(after !== null);
  assert.is(after, stored.replace('"bridge": "virbr0",\n            "script"', '"bridge": "xenbr0",\n            "script"'));
  const nics = (JSON.parse(after!) as { nics: { bridge: string }[] }).nics.map((n) => n.bridge);
  assert.equal(nics, ['xenbr0', 'virbr0', 'br-storage']);
});

test('nothing to change gives null: no vif names the old bridge, or the text is not JSON', () => {
  assert.is(retargetLibxlBridge(stored, [2], 'virbr0', 'xenbr0'), null);
  assert.is(retargetLibxlBridge(stored, [5], 'virbr0', 'xenbr0'), null);
  assert.is(retargetLibxlBridge('{"nics": [', [0], 'virbr0', 'xenbr0'), null);
  assert.is(retargetLibxlBridge('{"c_info": {}}', [0], 'virbr0', 'xenbr0'), null);
});

// libxl writes the JSON with its C string's NUL (libxl__set_domain_configuration: strlen + 1), the
// byte that made the file a "binary" to grep and unparsable to JSON.parse, so no step was planned.
test('libxl\'s terminating NUL: the JSON before it is edited, the NUL kept, byte for byte', () => {
  const after = retargetLibxlBridge(`${stored}\0`, [0], 'virbr0', 'xenbr0');
  assert.is(after, `${stored.replace('"bridge": "virbr0",\n            "script"', '"bridge": "xenbr0",\n            "script"')}\0`);
  assert.is(retargetLibxlBridge(`${stored}\0{"nics": [{"bridge": "virbr0"}]}`, [1], 'virbr0', 'xenbr0')?.endsWith('\0{"nics": [{"bridge": "virbr0"}]}'), true);
  assert.is(retargetLibxlBridge(`{"nics": [{"bridge": "br1"}]}\0{"nics": [{"bridge": "virbr0"}]}`, [0], 'virbr0', 'xenbr0'), null, 'past the NUL is not libxl\'s');
});

// Byte for byte what Xen 4.17.7's libxl stored for the lab's g1 (test/lab, `libxldump`): 898 bytes
// of yajl's beautified JSON, then the NUL.
const labG1 = `{
    "c_info": {
        "type": "pv",
        "name": "g1",
        "domid": 4294967295,
        "uuid": "02aaa3a9-b54c-4d92-be45-6a38ec983355",
        "run_hotplug_scripts": "True"
    },
    "b_info": {
        "max_memkb": 163840,
        "target_memkb": 163840,
        "video_memkb": 0,
        "sched_params": {

        },
        "claim_mode": "True",
        "kernel": "/lab/guest/vmlinuz",
        "cmdline": "console=hvc0 quiet lab_a=192.168.122.11 lab_l=192.168.1.11",
        "ramdisk": "/lab/guest/initrd.gz",
        "type.pv": {

        },
        "arch_arm": {

        },
        "arch_x86": {
            "msr_relaxed": "False"
        }
    },
    "nics": [
        {
            "devid": 0,
            "mac": "00:16:3e:1a:b0:01",
            "bridge": "virbr0",
            "nictype": "vif"
        }
    ],
    "on_reboot": "restart",
    "on_soft_reset": "soft_reset"
}
`;

test('the stored config as the lab\'s libxl wrote it: one line changes, the NUL stays', () => {
  const text = `${labG1}\0`;
  assert.is(Buffer.byteLength(text), 899);
  const after = retargetLibxlBridge(text, [0], 'virbr0', 'xenbr0')!;
  assert.is(after, text.replace('"bridge": "virbr0"', '"bridge": "xenbr0"'));
  const changed = after.split('\n').filter((line, i) => line !== text.split('\n')[i]);
  assert.equal(changed, ['            "bridge": "xenbr0",']);
});

test('a nic without devid is numbered by its place; quotes and braces inside strings are skipped', () => {
  const text = '{"nics": [{"ip": "a}\\"{", "bridge": "virbr0"}, {"bridge": "virbr0"}]}';
  assert.is(retargetLibxlBridge(text, [1], 'virbr0', 'xenbr0'), '{"nics": [{"ip": "a}\\"{", "bridge": "virbr0"}, {"bridge": "xenbr0"}]}');
});

test('the stored configs of the running domains are found by libxl\'s file names', () => {
  const names = [
    'userdata-d.3.5a1d0c2e-9a63-4c1b-8f0e-2b7d3f6a9c11.libxl-json',
    'userdata-d.3.5a1d0c2e-9a63-4c1b-8f0e-2b7d3f6a9c11.xl',
    'userdata-l.3.5a1d0c2e-9a63-4c1b-8f0e-2b7d3f6a9c11.domain-userdata-lock',
    'userdata-d.9.00000000-0000-0000-0000-000000000009.libxl-json',
    'userdata-n.4.00000000-0000-0000-0000-000000000004.libxl-json',
    'save',
  ];
  assert.equal(libxlConfigPaths(names, [3, 4]), { 3: '/var/lib/xen/userdata-d.3.5a1d0c2e-9a63-4c1b-8f0e-2b7d3f6a9c11.libxl-json' });
});

test('one ephemeral file step per domain, titled by guest; none without a stored config', () => {
  const path = '/var/lib/xen/userdata-d.3.5a1d0c2e-9a63-4c1b-8f0e-2b7d3f6a9c11.libxl-json';
  const read = (p: string) => (p === path ? { text: `${stored}\0`, mode: '0600' } : null);
  const steps = libxlConfigSteps(
    [{ guest: 'g1', domid: 3, devid: 0 }, { guest: 'g1', domid: 3, devid: 1 }, { guest: 'g2', domid: 4, devid: 0 }],
    { 3: path, 4: '/var/lib/xen/userdata-d.4.00000000-0000-0000-0000-000000000004.libxl-json' }, read, 'virbr0', 'xenbr0');
  assert.is(steps.length, 1);
  const [s] = steps;
  assert.is(s!.kind, 'file');
  assert.is(s!.phase, 'edit');
  assert.equal(s!.title, { key: 'step.libxlConfig', params: { guest: 'g1', bridge: 'xenbr0' } });
  assert.equal({ ...s!.file, after: undefined }, { path, mode: '0600', before: `${stored}\0`, after: undefined, ephemeral: true });
  assert.ok(s!.file!.after!.endsWith('}\n\0'));
  assert.equal((JSON.parse(s!.file!.after!.slice(0, -1)) as { nics: { bridge: string }[] }).nics.map((n) => n.bridge), ['xenbr0', 'xenbr0', 'br-storage']);
  assert.equal(libxlConfigSteps([{ guest: 'g1', domid: 3, devid: 0 }], undefined, read, 'virbr0', 'xenbr0'), []);
});

// `xl config-update g1 g1.cfg` leaves the cfg text as userdata "xl", which xl's reboot handler
// prefers to the JSON (xl_vmcontrol.c, reload_domain_config).
const xlText = `name = 'g1'\nvif = [ 'mac=00:16:3e:1a:b0:01,bridge=virbr0', 'mac=00:16:3e:1a:b0:11, bridge=br-storage',\n        'mac=00:16:3e:1a:b0:21' ]\n`;

test('xl\'s userdata: the moved vifs on the old bridge or on none get bridge=, others are kept', () => {
  const file = '/var/lib/xen/userdata-d.3.5a1d0c2e-9a63-4c1b-8f0e-2b7d3f6a9c11.xl';
  assert.is(retargetXlUserdata(xlText, file, [0, 1, 2], 'virbr0', 'xenbr0'),
    xlText.replace('b0:01,bridge=virbr0', 'b0:01,bridge=xenbr0').replace("b0:21' ]", "b0:21,bridge=xenbr0' ]"));
  assert.is(retargetXlUserdata(xlText, file, [1], 'virbr0', 'xenbr0'), null);
  assert.is(retargetXlUserdata(xlText.replace('virbr0', 'xenbr0'), file, [0], 'virbr0', 'xenbr0'), null);
  assert.throws(() => retargetXlUserdata("vif = [ 'bridge=virbr0', MYVIF ]\n", file, [1], 'virbr0', 'xenbr0'), (e: unknown) => e instanceof InputError);
  assert.is(xlUserdataPath('/var/lib/xen/userdata-d.3.x.libxl-json'), '/var/lib/xen/userdata-d.3.x.xl');
});

test('a domain with xl\'s userdata gets a second ephemeral step for it, after the JSON\'s', () => {
  const path = '/var/lib/xen/userdata-d.3.5a1d0c2e-9a63-4c1b-8f0e-2b7d3f6a9c11.libxl-json';
  const xl = xlUserdataPath(path);
  const files: Record<string, string> = { [path]: `${stored}\0`, [xl]: xlText };
  const read = (p: string) => (p in files ? { text: files[p]!, mode: '0600' } : null);
  const steps = libxlConfigSteps([{ guest: 'g1', domid: 3, devid: 0 }], { 3: path }, read, 'virbr0', 'xenbr0');
  assert.equal(steps.map((s) => s.id), [`edit:${path}`, `edit:${xl}`]);
  assert.equal(steps[1]!.title, { key: 'step.xlUserdata', params: { guest: 'g1', bridge: 'xenbr0' } });
  assert.equal(steps[1]!.file, { path: xl, mode: '0600', before: xlText, after: xlText.replace('b0:01,bridge=virbr0', 'b0:01,bridge=xenbr0'), ephemeral: true });
});

test.run();
