// Preloaded by scripts/bench.mjs (`node --import`) into one extra, untimed run: writes the
// process's peak resident set size (kB, getrusage's ru_maxrss) to XNW_BENCH_RSS_FILE at exit.
import fs from 'node:fs';

process.on('exit', () => {
  if (process.env.XNW_BENCH_RSS_FILE) fs.writeFileSync(process.env.XNW_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
