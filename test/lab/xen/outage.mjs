// Guest outage from the LAN peer's 10 ms fping (-l -D) at both of a guest's addresses: its NAT
// address (reached through dom0's routing while the vif is on virbr0) and its LAN address
// (reached directly once the vif is on xenbr0). The outage is the time from the last answer at the
// NAT address to the first answer at the LAN address; the baseline is the largest gap between
// answers at the NAT address in the 3 s before the move (what TCG scheduling alone costs).
// usage: node outage.mjs FPING_OUT APPLY_START NAT_ADDR LAN_ADDR   → one line "key=value ..."
import { readFileSync } from 'node:fs';

const [file, start, nat, lan] = process.argv.slice(2);
const t0 = Number(start);
const at = { [nat]: [], [lan]: [] };
for (const line of readFileSync(file, 'utf8').split('\n')) {
  const m = /^\[(\d+\.\d+)\]\s+(\S+)\s+:\s+\[\d+\],\s+\d+ bytes/.exec(line);
  if (m && at[m[2]]) at[m[2]].push(Number(m[1]));
}
const ms = (s) => Math.round(s * 1000);
const lastNat = at[nat].filter((t) => t >= t0).pop();
const firstLan = at[lan].find((t) => t >= t0);
if (lastNat === undefined || firstLan === undefined) {
  console.log(`outage_ms=unbounded nat_answers=${at[nat].length} lan_answers=${at[lan].length}`);
  process.exit(0);
}
const before = at[nat].filter((t) => t >= lastNat - 3 && t <= lastNat);
const baseline = before.slice(1).reduce((m, t, i) => Math.max(m, t - before[i]), 0);
const gap = Math.max(0, firstLan - lastNat);
console.log([
  `outage_ms=${ms(gap)}`,
  `lost_probes=${Math.max(0, Math.round(gap / 0.01) - 1)}`,
  `baseline_gap_ms=${ms(baseline)}`,
  `move_at_ms=${ms(lastNat - t0)}`,
].join(' '));
