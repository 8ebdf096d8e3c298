// The sample of the scenario-wide fault suites (test/_helpers/sample.ts) keeps what their assertions
// turn on, and over the scenarios reaches every position of a plan.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { samplePoints, sampleFigure } from './_helpers/sample.js';

const points = ['lock', 'mkdir', 'write', 'write', 'write', 'write', 'write', 'write', 'remove', 'write', 'write', 'write'].map((kind, n) => ({ n, kind }));

test('exhaustive, or a stride of 1: every point, in order', () => {
  assert.equal(samplePoints(points, { stride: 4, scenario: 0 }, true), points);
  assert.equal(samplePoints(points, { stride: 1, scenario: 3 }, false), points);
});

test('the sample keeps the first and the last point, the first of each kind and the named boundaries', () => {
  const kept = samplePoints(points, { stride: 100, scenario: 1, kind: (p) => p.kind, always: (p) => p.n === 6 }, false).map((p) => p.n);
  assert.equal(kept, [0, 1, 2, 6, 8, 11]);
});

test('the offset moves with the scenario: over `stride` scenarios every position runs', () => {
  const stride = 4;
  const reached = new Set<number>();
  for (let scenario = 0; scenario < stride; scenario++) {
    const kept = samplePoints(points, { stride, scenario }, false);
    assert.ok(kept.length < points.length, `scenario ${scenario} samples (${kept.length} of ${points.length})`);
    for (const p of kept) reached.add(p.n);
  }
  assert.equal([...reached].sort((a, b) => a - b), points.map((p) => p.n));
});

test('the figures line says a sample is a sample', () => {
  assert.is(sampleFigure(140, 547, 'kill points', false), '140 of 547 kill points (a sample: npm run test:exhaustive runs all)');
  assert.is(sampleFigure(547, 547, 'kill points', false), '547 kill points (all)');
  assert.is(sampleFigure(547, 547, 'kill points', true), '547 kill points (all)');
});

test.run();
