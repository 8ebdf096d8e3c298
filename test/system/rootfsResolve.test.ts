// RootFs.resolve's fast path for clean absolute dom0 paths (src/system/rootfs.ts, issue 11) gives
// exactly what path.join(root, path.posix.normalize('/' + p)) gives, for any root and any path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import fc from 'fast-check';
import { RootFs } from '../../src/system/rootfs.js';

const reference = (root: string, p: string) => path.join(root, path.posix.normalize('/' + p));

const segment = fc.oneof(fc.constantFrom('', '.', '..', '...', '.x', 'etc', 'xen', 'a b', 'é'), fc.string({ minLength: 1, maxLength: 4 }));
const pathLike = (prefix: fc.Arbitrary<string>) => fc.tuple(prefix, fc.array(segment, { maxLength: 6 }), fc.constantFrom('', '/'))
  .map(([lead, segs, tail]) => lead + segs.join('/') + tail);

test('resolve: the same real path as normalize + join, for clean and unclean paths and roots', () => {
  const roots = pathLike(fc.constantFrom('', '/', './', '../'));
  const dom0Paths = pathLike(fc.constantFrom('/', '', '//'));
  fc.assert(fc.property(roots, dom0Paths, (root, p) => {
    assert.is(new RootFs(root).resolve(p), reference(root, p), JSON.stringify({ root, p }));
  }), { numRuns: 5000 });
  for (const [root, p] of [['/tmp/r', '/etc/xen/guest1.cfg'], ['/tmp/r/', '/etc/xen/../passwd'], ['', '/etc'], ['.', '/etc/x'], ['/', '/'], ['r/..', '/a/.b/...']]) {
    assert.is(new RootFs(root).resolve(p), reference(root, p), `${root} ${p}`);
  }
});

test.run();
