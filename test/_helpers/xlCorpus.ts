// The xm/xl configs of the shared corpus (libvirt's xl and xm test data, Xen's own examples and
// xl.conf), for the parser suite (test/parse/xlConfig.test.ts) and the edit suite (xlEdits.test.ts).
import fs from 'node:fs';
import path from 'node:path';

export const CORPUS = '/work/shared/corpus';
export const XEN = path.join(CORPUS, 'xen-examples');
const cfgsIn = (dir: string) => fs.readdirSync(path.join(CORPUS, dir)).filter((f) => f.endsWith('.cfg')).sort().map((f) => path.join(CORPUS, dir, f));
export const XL_CFGS = cfgsIn('libvirt-xlconfigdata');
export const XM_CFGS = cfgsIn('libvirt-xmconfigdata');
export const XEN_EXAMPLES = fs.readdirSync(XEN).flatMap((release) => {
  const dir = path.join(XEN, release);
  if (!fs.statSync(dir).isDirectory()) return [];
  return fs.readdirSync(dir).filter((f) => f.startsWith('xmexample') || f.startsWith('xlexample') || f === 'xl.conf').sort().map((f) => path.join(dir, f));
});
export const CORPUS_CONFIGS = [...XL_CFGS, ...XM_CFGS, ...XEN_EXAMPLES];
export const XL_CONF = path.join(XEN, 'head/xl.conf');
export const read = (f: string) => fs.readFileSync(f, 'utf8');
export const rel = (f: string) => path.relative(CORPUS, f);
