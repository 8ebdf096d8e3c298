// The closing line of `npm test`, counted honestly: uvu's own totals (a skipped check is registered
// with test.skip by test/_helpers/skip.ts, so uvu counts it), the reasons the skip helper logged,
// and the lab's summary. Pure, so that test/runner.test.ts can check it on made-up output.

/** uvu's "Total / Passed / Skipped" block → counts; failed is what ran and did not pass. */
export function uvuCounts(out, exitCode) {
  // uvu colours its numbers (kleur) even through a pipe under some terminals: read them plain.
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const num = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1] ?? 0);
  const total = num('Total');
  const passed = num('Passed');
  const skipped = num('Skipped');
  // uvu's Total counts the tests that ran; a crash before its summary is one failure at least.
  const failed = Math.max(total - passed, exitCode === 0 ? 0 : 1);
  return { passed, failed, skipped, ran: total };
}

/** The skip log (one JSON object per line: what, why) → entries, in order, without repeats. */
export function skipReasons(logText) {
  const seen = new Set();
  const list = [];
  for (const line of logText.split('\n')) {
    if (!line.trim()) continue;
    const { what, why } = JSON.parse(line);
    const key = `${what}\0${why}`;
    if (!seen.has(key)) {
      seen.add(key);
      list.push({ what, why });
    }
  }
  return list;
}

/**
 * The closing lines: every skipped check with its reason, then the counts — last, alone on their
 * line, because CI reads a run's final "N passed, N failed, N skipped" line as its verdict.
 */
export function summaryLines(counts, skips) {
  const lines = skips.map((s) => `  skipped: ${s.what} — ${s.why}`);
  lines.push(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  return lines;
}

/**
 * Where the time of a run goes, for keeping `npm test` within its budget: uvu imports every suite
 * first (their set-up at import time lands in "import"), then runs them in order, printing each
 * suite's file name as it starts; a suite lasts until the next name (the last one until the end).
 */
export function suiteTimer(start) {
  const marks = [];
  let pending = '';
  return {
    feed(text) {
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      const now = Date.now();
      for (const line of lines) {
        const name = line.replace(/\x1b\[[0-9;]*m/g, '').trim();
        if (/^\S+\.test\.[cm]?[jt]s$/.test(name)) marks.push({ name, at: now });
      }
    },
    finish(end) {
      const out = marks.length > 0 ? [{ name: '(import of every suite)', ms: marks[0].at - start }] : [];
      marks.forEach((m, i) => out.push({ name: m.name, ms: (marks[i + 1]?.at ?? end) - m.at }));
      return out;
    },
  };
}

/** The n slowest suites, one line each, with the whole run's time. */
export function slowestSuites(durations, n) {
  const total = durations.reduce((sum, d) => sum + d.ms, 0);
  const top = [...durations].sort((a, b) => b.ms - a.ms).slice(0, n);
  return [`slowest suites (uvu ${(total / 1000).toFixed(0)} s in all):`, ...top.map((d) => `  ${(d.ms / 1000).toFixed(1).padStart(7)} s  ${d.name}`)];
}
