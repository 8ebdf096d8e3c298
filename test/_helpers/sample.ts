// The scenario-wide fault suites (crash, disk faults, signals) enumerate every kill point, write point
// and step boundary of every recipe's scenario: some 1,900 runs, two thirds of `npm test`'s budget.
// `npm test` runs a deterministic, stratified sample of them; `npm run test:exhaustive`
// (XNW_EXHAUSTIVE=1) runs every point. The sample keeps, per scenario, the first and the last point,
// the first point of each kind (a lock, a journal write, a config write…), the points a suite names
// as boundaries (the last write before the first change and the first change itself), and every
// stride-th point with an offset that moves with the scenario, so that over the scenarios every
// position of a plan is hit. What is left out is not counted at all (neither passed nor skipped);
// each suite's figures line says how many of how many points ran.

/** Every point, not a sample: set by `npm run test:exhaustive`. */
export const EXHAUSTIVE = process.env.XNW_EXHAUSTIVE === '1';

export interface SampleRule<T> {
  /** Every stride-th point is kept (1: all). */
  stride: number;
  /** Index of the scenario in SCENARIOS: shifts the stride's offset from one scenario to the next. */
  scenario: number;
  /** A point's kind: the first of each kind is kept. */
  kind?: (point: T) => string;
  /** Points kept whatever the stride says (boundaries the suite's assertions turn on). */
  always?: (point: T, index: number) => boolean;
}

/** The points to run: all of them when EXHAUSTIVE, else the sample the rule describes, in order. */
export function samplePoints<T>(points: readonly T[], rule: SampleRule<T>, exhaustive = EXHAUSTIVE): T[] {
  if (exhaustive || rule.stride <= 1) return [...points];
  const seenKinds = new Set<string>();
  return points.filter((point, i) => {
    const kind = rule.kind?.(point);
    const firstOfKind = kind !== undefined && !seenKinds.has(kind);
    if (kind !== undefined) seenKinds.add(kind);
    return i === 0 || i === points.length - 1 || firstOfKind || (rule.always?.(point, i) ?? false)
      || (i + rule.scenario) % rule.stride === 0;
  });
}

/** "140 of 547 kill points (a sample: npm run test:exhaustive runs all)", or "547 kill points (all)". */
export function sampleFigure(ran: number, total: number, noun: string, exhaustive = EXHAUSTIVE): string {
  return exhaustive || ran === total
    ? `${ran} ${noun} (all)`
    : `${ran} of ${total} ${noun} (a sample: npm run test:exhaustive runs all)`;
}
