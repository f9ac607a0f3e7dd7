#!/usr/bin/env node
/*
 * Writes the per-scenario failure list (markdown) from a run.js result table, grouped by cause.
 *
 *   node bench/rtpengine-suite/report.js [--results=results/<date>-whisperd.tsv] [--previous=<older tsv>]
 *        [--reference=results/<date>-rtpengine.tsv] [--out=results/latest-failures.md] [--note=TEXT]
 *        [--engine=<tsv of the same run with WHISPERD_MEDIA_ENGINE=reference>]
 *
 * Causes come from causes.tsv (index, area, cause; kept by hand); a failing scenario not listed there is
 * shown under "unclassified". With --previous, scenarios that changed since then are listed first.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { HERE, args, newest, readTable, short } = require('./tables');

function readCauses() {
  const m = new Map();
  for (const l of fs.readFileSync(path.join(HERE, 'causes.tsv'), 'utf8').split('\n')) {
    if (!l || l.startsWith('#')) continue;
    const [idx, area, cause] = l.split('\t');
    m.set(Number(idx), { area, cause });
  }
  return m;
}

function main() {
  const a = args(['note']);
  const resFile = a.results ?? newest(/-whisperd\.tsv$/);
  const refFile = a.reference ?? newest(/-rtpengine\.tsv$/);
  const out = a.out ?? path.join(HERE, 'results', 'latest-failures.md');
  const res = readTable(resFile);
  const causes = readCauses();
  const ran = [...res.rows.values()].filter((r) => r.result !== 'excluded');
  const passed = ran.filter((r) => r.result === 'pass');
  const failed = ran.filter((r) => r.result === 'fail');
  let refLine = '';
  if (refFile) {
    const ref = readTable(refFile);
    const rr = [...ref.rows.values()].filter((r) => r.result !== 'excluded');
    const rp = rr.filter((r) => r.result === 'pass').length;
    refLine = `rtpengine 10.5.3.5 (reference, same harness): ${rp}/${rr.length}. `;
  }
  const commit = /whisperd commit (\S+)/.exec(res.head[0] ?? '')?.[1] ?? '?';
  const date = /; (\d{4}-\d\d-\d\dT\d\d:\d\d)/.exec(res.head[0] ?? '')?.[1] ?? '?';
  const pct = ran.length ? ((100 * passed.length) / ran.length).toFixed(1) : '0';
  const md = [];
  md.push(`# rtpengine suite vs whisperd: ${passed.length}/${ran.length} pass (${pct} %), ${date}Z, commit ${commit}`);
  md.push('');
  if (a.note) md.push(`NOTE: ${a.note}`, '');
  const need = Math.ceil(0.95 * ran.length);
  md.push(`${refLine}Target: >= 95 % of what rtpengine passes = ${need}/${ran.length} (at most ${ran.length - need} failures; ${Math.max(0, need - passed.length)} more to fix).\nHarness: bench/rtpengine-suite/ (README there).`);
  md.push(`Entry: #scenario-index Lline-of-the-scenario's-new_call-in-bench/rtpengine-suite/.upstream/t/auto-daemon-tests.pl name [area] — first failure`);
  md.push('(`offer@N SDP lK`: the reply to the offer at line N differs first at SDP line K; `rcv@N`: the packet awaited at line N).');
  md.push('Re-run one scenario (as root, after `npx tsc -p tsconfig.build.json`; waits while another run holds the lock):');
  md.push('`node bench/rtpengine-suite/run.js --daemon=whisperd --only=56` -> log in bench/rtpengine-suite/results/logs/whisperd-only/056.log (WHISPERD_MEDIA_ENGINE=reference in front: the reference engine)');
  md.push('');
  if (a.engine && fs.existsSync(a.engine)) {
    // The same run with media.engine=reference (the TypeScript twin of the native media plane).
    const alt = readTable(a.engine);
    const altRan = [...alt.rows.values()].filter((r) => r.result !== 'excluded');
    const altPass = altRan.filter((r) => r.result === 'pass').length;
    const onlyRef = altRan.filter((r) => r.result === 'pass' && res.rows.get(r.idx)?.result === 'fail').map((r) => `#${r.idx}`);
    const onlyNat = altRan.filter((r) => r.result === 'fail' && res.rows.get(r.idx)?.result === 'pass').map((r) => `#${r.idx}`);
    md.push(`Reference engine (WHISPERD_MEDIA_ENGINE=reference, same commit): ${altPass}/${altRan.length}; ` +
      `passes only there: ${onlyRef.join(' ') || 'none'}; fails only there: ${onlyNat.join(' ') || 'none'}.`);
    md.push('');
  }
  if (a.previous && fs.existsSync(a.previous)) {
    const prev = readTable(a.previous);
    const fixed = passed.filter((r) => prev.rows.get(r.idx)?.result === 'fail').map((r) => `#${r.idx}`);
    const broke = failed.filter((r) => prev.rows.get(r.idx)?.result === 'pass');
    const pc = /whisperd commit (\S+)/.exec(prev.head[0] ?? '')?.[1] ?? '?';
    md.push(`Since the previous run (commit ${pc}): newly passing ${fixed.length ? fixed.join(' ') : 'none'}; ` +
      `REGRESSIONS (passed before): ${broke.length ? broke.map((r) => `#${r.idx} ${r.name}`).join('; ') : 'none'}`);
    md.push('');
  }
  const groups = new Map();
  for (const r of failed) {
    const c = causes.get(r.idx) ?? { area: '?', cause: 'unclassified (new failure; H classifies it at the next run)' };
    const key = `${c.cause} [${c.area}]`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  const ordered = [...groups.entries()].sort((x, y) => y[1].length - x[1].length);
  const byArea = new Map();
  for (const r of failed) {
    const area = (causes.get(r.idx) ?? { area: '?' }).area;
    byArea.set(area, (byArea.get(area) ?? 0) + 1);
  }
  if (!failed.length) md.push('Failures: none.');
  else md.push(`Failures by area: ${[...byArea.entries()].sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${v}`).join(', ')} ` +
    '(N codec negotiation, S SDP structure, M media transforms, D ng media-control commands, I interfaces/IPv6, K codecs, - none).');
  md.push('');
  for (const [key, rows] of ordered) {
    md.push(`## ${key} — ${rows.length}`);
    for (const r of rows) md.push(`- #${r.idx} L${r.line} ${r.name} — ${short(r.detail)}`);
    md.push('');
  }
  // A pass must not be vacuous: it ran as many assertions as under rtpengine (when both logs are here).
  const logs = path.join(HERE, 'results', 'logs');
  const okCount = (dir, idx) => {
    const f = path.join(logs, dir, `${String(idx).padStart(3, '0')}.log`);
    return fs.existsSync(f) ? (fs.readFileSync(f, 'latin1').match(/^ok /gm) ?? []).length : null;
  };
  let checked = 0;
  const short_ = [];
  for (const r of passed) {
    const w = okCount('whisperd', r.idx);
    const x = okCount('rtpengine', r.idx);
    if (w === null || x === null) continue;
    checked++;
    if (w !== x) short_.push(`#${r.idx} (${w} vs ${x})`);
  }
  if (checked) md.push(`Assertions: ${checked} passing scenarios checked against rtpengine's logs; ran fewer or more assertions: ${short_.join(', ') || 'none'}.`, '');
  const stale = [...causes.keys()].filter((i) => res.rows.get(i)?.result === 'pass');
  if (stale.length) md.push(`(causes.tsv still lists now-passing ${stale.map((i) => `#${i}`).join(' ')})`, '');
  fs.writeFileSync(out, `${md.join('\n')}\n`);
  console.log(`${out}: ${passed.length}/${ran.length} pass, ${failed.length} failures in ${groups.size} causes`);
}

main();
