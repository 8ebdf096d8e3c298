// Deadlines are measured on the monotonic clock: an NTP or chrony step of the wall clock (likely
// just when dom0's network changes and the time daemon reaches its server again) must neither
// stretch the confirmation window nor fire the rollback at once. The wall clock is for labels only.
import { performance } from 'node:perf_hooks';

/** Milliseconds on a clock that never steps (CLOCK_MONOTONIC); only differences mean anything. */
export function monotonicMs(): number {
  return performance.now();
}

/** A deadline `ms` from now on the monotonic clock. */
export function deadlineIn(ms: number): { left(): number; passed(): boolean } {
  const end = monotonicMs() + ms;
  return {
    left: () => Math.max(0, end - monotonicMs()),
    passed: () => monotonicMs() >= end,
  };
}
