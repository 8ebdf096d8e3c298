// Roots for recipe internal-dummy's suites, derived from the shared fixtures (never edited):
// the guide's CentOS 5 dom0 with its second guest's XML dump (seed 000 lines 277–293), an
// existing /etc/modprobe.conf, and a real second NIC eth1 for the variant of line 205.
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, runCli, tempDir, writeJson } from '../../_helpers/roots.js';

export interface JsonStep { id: string; kind: string; title: string; file?: { path: string; mode: string; before: string | null; after: string | null }; argv?: string[] }
export interface JsonPlan { recipe: string; profile: string; backend: string; method: string; steps: JsonStep[] }

/** The guide's own MACs (seed 000 lines 224, 256, 260): with them every artifact is byte-comparable. */
export const GUIDE_ANSWERS = {
  // centos51u2's xm file has no mac= (its dump has :97); typed, it goes into both, as in the guide.
  macs: { centos51u2: '00:16:3e:17:d4:97' },
  'internal.mac': '00:16:3e:6f:5c:17',
  'internal.macs': { centos51u: '00:16:3e:17:d4:88', centos51u2: '00:16:3e:17:d4:98' },
};

export function guideRoot(opts: { modprobe?: string; eth1?: boolean } = {}): string {
  const root = copyFixture('centos5');
  const xml = path.join(root, 'etc/xen/xml');
  // centos51u2's dump as virt-manager left it: on virbr0 with the MAC of line 279.
  fs.writeFileSync(path.join(xml, 'centos51u2.xml'), fs.readFileSync(path.join(xml, 'centos51u.xml'), 'utf8')
    .replace('<name>centos51u</name>', '<name>centos51u2</name>')
    .replace('6a8b1e522a0c4d4e9d1a1b2c3d4e5f60', '0f1e2d3c4b5a69788796a5b4c3d2e1f0')
    .replace("00:16:3e:17:d4:87", '00:16:3e:17:d4:97')
    .replace('centos51u.img', 'centos51u2.img'));
  if (opts.modprobe !== undefined) fs.writeFileSync(path.join(root, 'etc/modprobe.conf'), opts.modprobe);
  if (opts.eth1) addNic(root, 'eth1', '00:19:b9:3a:66:13');
  return root;
}

/** A NIC as the kernel shows it under sys/ (src/detect/links.ts reads address, master, bridge/). */
export function addNic(root: string, name: string, mac: string): void {
  fs.mkdirSync(path.join(root, 'sys/class/net', name), { recursive: true });
  fs.writeFileSync(path.join(root, 'sys/class/net', name, 'address'), `${mac}\n`);
}

export function answersFile(answers: object): string {
  return writeJson(path.join(tempDir(), 'a.json'), { recipe: 'internal-dummy', ...answers });
}

export function planOf(root: string, answers: object): { plan: JsonPlan; status: number | null; stderr: string } {
  const r = runCli(['plan', '--root', root, '--answers', answersFile(answers), '--json']);
  return { plan: JSON.parse(r.stdout || '{"steps":[]}') as JsonPlan, status: r.status, stderr: r.stderr };
}

export const fileOf = (plan: JsonPlan, p: string) => plan.steps.find((s) => s.file?.path === p)?.file;
export const argvsOf = (plan: JsonPlan) => plan.steps.filter((s) => s.argv).map((s) => s.argv!.join(' '));
