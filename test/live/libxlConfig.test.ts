// libxl's stored domain config follows a live vif move: only the moved vifs' "bridge" changes, every
// other byte stays (so rollback's byte-exact restore and the plan's diff are that line), and the
// file step is ephemeral (libxl deletes it with its domain).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { libxlConfigPaths, libxlConfigSteps, retargetLibxlBridge } from '../../src/live/libxlConfig.js';

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
  const read = (p: string) => (p === path ? { text: stored, mode: '0600' } : null);
  const steps = libxlConfigSteps(
    [{ guest: 'g1', domid: 3, devid: 0 }, { guest: 'g1', domid: 3, devid: 1 }, { guest: 'g2', domid: 4, devid: 0 }],
    { 3: path, 4: '/var/lib/xen/userdata-d.4.00000000-0000-0000-0000-000000000004.libxl-json' }, read, 'virbr0', 'xenbr0');
  assert.is(steps.length, 1);
  const [s] = steps;
  assert.is(s!.kind, 'file');
  assert.is(s!.phase, 'edit');
  assert.equal(s!.title, { key: 'step.libxlConfig', params: { guest: 'g1', bridge: 'xenbr0' } });
  assert.equal({ ...s!.file, after: undefined }, { path, mode: '0600', before: stored, after: undefined, ephemeral: true });
  assert.equal((JSON.parse(s!.file!.after!) as { nics: { bridge: string }[] }).nics.map((n) => n.bridge), ['xenbr0', 'xenbr0', 'br-storage']);
  assert.equal(libxlConfigSteps([{ guest: 'g1', domid: 3, devid: 0 }], undefined, read, 'virbr0', 'xenbr0'), []);
});

test.run();
