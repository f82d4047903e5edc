// Summarises a scripts/bench.sh run: reads DIR/floor.N.txt (psql \timing output),
// DIR/audit.N.summary.json (what bench.sh keeps of audit --format json), DIR/time.N.txt (/usr/bin/time -v) for N = 1..RUNS
// (run 0 is the warm-up) and DIR/history_bytes.N (the history's size after run N; 0r after the
// second warm-up audit), prints the per-check table and the totals, and writes the totals to
// DIR/summary.json.
'use strict';
const fs = require('fs');
const path = require('path');

const [dir, runsArg] = process.argv.slice(2);
const runs = Number(runsArg);
const read = (name) => fs.readFileSync(path.join(dir, name), 'utf8');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(0)} ms`;

const floors = [];
const floorStatements = [];
const audits = [];
const rss = [];
const elapsed = [];
const cpu = [];
for (let run = 1; run <= runs; ++run) {
  const times = [...read(`floor.${run}.txt`).matchAll(/^Time: ([0-9.]+) ms/gm)].map((m) => Number(m[1]));
  floorStatements.push(times);
  floors.push(times.reduce((a, b) => a + b, 0));
  audits.push(JSON.parse(read(`audit.${run}.summary.json`)));
  const time = read(`time.${run}.txt`);
  rss.push(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(time)[1]) / 1024);
  cpu.push((Number(/User time \(seconds\): ([0-9.]+)/.exec(time)[1]) + Number(/System time \(seconds\): ([0-9.]+)/.exec(time)[1])) * 1000);
  const clock = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([0-9.]+)/.exec(time);
  elapsed.push(((Number(clock[1] || 0) * 60 + Number(clock[2])) * 60 + Number(clock[3])) * 1000);
}

// Per check, and per input the checks shared (read once, listed as inputs/<id>): median time
// over the runs, rows of the last run.
const checks = new Map();
const add = (id, t, input) => {
  if (!checks.has(id)) checks.set(id, { times: [], rows: 0, input });
  const c = checks.get(id);
  c.times.push(t.ms);
  c.rows = t.rows;
};
for (const a of audits) {
  for (const t of a.timings) add(t.check_id, t, false);
  for (const t of a.input_timings || []) add(`inputs/${t.input}`, t, true);
}
const last = audits[audits.length - 1];
const findingsOf = new Map(Object.entries(last.findings_by_check));
const rowsOut = [...checks.entries()]
  .map(([id, c]) => ({ id, input: c.input, time: median(c.times), max: Math.max(...c.times), rows: c.rows, findings: findingsOf.get(id) || 0 }))
  .sort((a, b) => b.time - a.time);

const out = [];
out.push(read('about.txt').trimEnd());
out.push(`runs: ${runs} measured (after a warm-up: the floor once, the audit twice); medians unless stated`);
out.push('');
const idWidth = Math.max(5, ...rowsOut.map((r) => r.id.length));
out.push(`${'check'.padEnd(idWidth)}  ${'median ms'.padStart(10)}  ${'max ms'.padStart(8)}  ${'rows'.padStart(7)}  ${'findings'.padStart(8)}`);
for (const r of rowsOut) {
  out.push(`${r.id.padEnd(idWidth)}  ${r.time.toFixed(1).padStart(10)}  ${r.max.toFixed(1).padStart(8)}  ${String(r.rows).padStart(7)}  ${String(r.findings).padStart(8)}`);
}
if (last.skipped.length) {
  out.push('');
  out.push(`skipped (${last.skipped.length}): ${last.skipped.map((s) => s.check_id).join(', ')}`);
}

const floor = median(floors);
const wall = median(audits.map((a) => a.wall_ms));
const query = median(audits.map((a) => a.query_ms));
const proc = median(elapsed);
const peak = Math.max(...rss);
const statementCount = floorStatements[0].length;
const perStatement = [...Array(statementCount).keys()].map((i) => median(floorStatements.map((s) => s[i])));

// The history's size after each run (bench.sh writes history_bytes.N): run 0 took the first
// snapshot, and every later run repeats the audit of the same database.
const historyAfter = (run) => Number(read(`history_bytes.${run}`).trim());
const snapshots = runs + 1;
const findings = last.findings;
const firstFindings = JSON.parse(read('audit.0.summary.json')).findings;

const verdict = (ok) => (ok ? 'ok' : 'OVER TARGET');
out.push('');
out.push(`floor (floor.sql, ${statementCount} statements):   ${ms(floor)}   [per statement: ${perStatement.map((x) => x.toFixed(0)).join(', ')} ms]`);
out.push(`audit wall (run_audit, wall_ms):     ${ms(wall)}   ratio ${(wall / floor).toFixed(2)}x floor (target <= 1.5x: ${verdict(wall / floor <= 1.5)})`);
out.push(`audit process (incl. start, history, output): ${ms(proc)}   ratio ${(proc / floor).toFixed(2)}x floor`);
out.push(`audit process CPU time (user + system): ${ms(median(cpu))}`);
out.push(`sum of statement times (query_ms):   ${ms(query)}   (${(query / wall).toFixed(2)}x the wall time: the parallelism achieved)`);
const ran = rowsOut.filter((r) => !r.input);
out.push(`checks: ${ran.length} ran, ${last.skipped.length} skipped; findings: ${findings}; rows returned: ${ran.reduce((a, r) => a + r.rows, 0)}`);
out.push(`peak memory (max RSS):               ${peak.toFixed(0)} MB   (target < 200 MB: ${verdict(peak < 200)})`);
const summary = { floor_ms: floor, wall_ms: wall, process_ms: proc, peak_rss_mb: peak, findings };
if (findings > 0) {
  const first = historyAfter(0) / firstFindings;
  // Run 0 took the first snapshot and a second warm-up audit (0r) the first with a previous
  // snapshot, which the usage checks compare with (its findings can differ from run 0's): every
  // measured run repeats the audit before it, and the history's growth is measured over them.
  const growth = (historyAfter(runs) - historyAfter('0r')) / runs / findings;
  summary.history_first_bytes_per_finding = first;
  summary.history_growth_bytes_per_finding = growth;
  summary.history_mb = historyAfter(runs) / 1048576;
  out.push(`history, first snapshot:             ${(historyAfter(0) / 1048576).toFixed(1)} MB = ${first.toFixed(0)} bytes per finding (metrics and catalog included; target ~1 KB: ${verdict(first <= 1100)})`);
  if (runs > 0) {
    // split by what the pages hold (bench.sh's history_parts): a finding that repeats word for
    // word costs its row in the snapshot and its index entry; the metrics are per object
    const parts = (run) => JSON.parse(read(`history_parts.${run}`));
    const split = Object.keys(parts(runs)).map(
      (k) => `${k} ${((parts(runs)[k] - parts('0r')[k]) / runs / findings).toFixed(0)}`).join(', ');
    out.push(`history, each repeated audit:        +${(growth * findings / 1048576).toFixed(2)} MB = ${growth.toFixed(0)} bytes per finding (by pages: ${split})`);
  }
}
fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary));
console.log(out.join('\n'));
