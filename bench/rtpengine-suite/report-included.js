#!/usr/bin/env node
/*
 * The encrypted-leg and ICE scenarios (run.js --include=encryption,ice): one markdown table, per scenario its
 * result on rtpengine and on whisperd and whisperd's first difference, grouped by category.
 *
 *   node bench/rtpengine-suite/report-included.js [--whisperd=<tsv>] [--rtpengine=<tsv>] [--previous=<tsv>]
 *        [--out=results/latest-included-failures.md]
 *
 * Defaults: the newest results/*-whisperd-encryption-ice*.tsv and *-rtpengine-encryption-ice*.tsv. With
 * --previous (an older whisperd table), scenarios that changed since then are listed first.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { HERE, args, newest, readTable, short } = require('./tables');

function main() {
  const a = args();
  const wFile = a.whisperd ?? newest(/-whisperd-encryption-ice.*\.tsv$/);
  const rFile = a.rtpengine ?? newest(/-rtpengine-encryption-ice.*\.tsv$/);
  if (!wFile) throw new Error('no whisperd table: run `node bench/rtpengine-suite/run.js --daemon=whisperd --include=encryption,ice --no-plain`');
  const out = a.out ?? path.join(HERE, 'results', 'latest-included-failures.md');
  const w = readTable(wFile, { dropExcluded: true });
  const r = rFile ? readTable(rFile, { dropExcluded: true }) : { head: [], rows: new Map() };
  const prev = a.previous ? readTable(a.previous, { dropExcluded: true }) : null;
  const rows = [...w.rows.values()].sort((x, y) => x.idx - y.idx);
  const commit = (/whisperd commit (\S+)/.exec(w.head.join('\n')) || [])[1] ?? '?';
  const when = (/; (\d{4}-\d\d-\d\dT\d\d:\d\d)/.exec(w.head.join('\n')) || [])[1] ?? '?';
  const L = [];
  const cats = [...new Set(rows.map((x) => x.category))];
  const tally = (rs, cat) => {
    const c = [...rs.values()].filter((x) => x.category === cat);
    return `${c.filter((x) => x.result === 'pass').length}/${c.length}`;
  };
  L.push(`# rtpengine suite, encrypted-leg and ICE scenarios: whisperd ${cats.map((c) => `${c} ${tally(w.rows, c)}`).join(', ')} (${when}Z, commit ${commit})`);
  L.push('');
  if (rFile) L.push(`rtpengine 10.5.3.5 (same harness): ${cats.map((c) => `${c} ${tally(r.rows, c)}`).join(', ')}.`);
  L.push('Harness: bench/rtpengine-suite/ (README there). Re-run (as root, after `npx tsc -p tsconfig.build.json`):');
  L.push('`node bench/rtpengine-suite/run.js --daemon=whisperd --include=encryption,ice --no-plain [--only=114,117]`');
  L.push('(logs: bench/rtpengine-suite/results/logs/whisperd-encryption-ice-only[-only]/NNN.log). Scenario text: /tmp/brief/spec/auto-daemon-tests.pl at the line given.');
  L.push('Entry: `#index Lline name | rtpengine | whisperd | first difference` (`offer@N SDP lK`: the reply to the offer at line N differs first at SDP line K; `rcv@N`: the packet awaited at line N).');
  L.push('');
  if (prev) {
    const newly = rows.filter((x) => x.result === 'pass' && prev.rows.get(x.idx)?.result === 'fail');
    const regr = rows.filter((x) => x.result === 'fail' && prev.rows.get(x.idx)?.result === 'pass');
    L.push(`Since the previous run: newly passing ${newly.length ? newly.map((x) => `#${x.idx}`).join(' ') : 'none'}; REGRESSIONS ${regr.length ? regr.map((x) => `#${x.idx}`).join(' ') : 'none'}`);
    L.push('');
  }
  for (const cat of cats) {
    L.push(`## ${cat}`);
    L.push('');
    L.push('| # | line | name | rtpengine | whisperd | whisperd first difference |');
    L.push('|---|---|---|---|---|---|');
    for (const x of rows.filter((y) => y.category === cat)) {
      const ref = r.rows.get(x.idx);
      const cell = (s) => s.replace(/\|/g, '\\|');
      L.push(`| ${x.idx} | ${x.line} | ${cell(x.name)} | ${ref ? ref.result : '?'} | ${x.result} | ${x.result === 'pass' ? '' : cell(short(x.detail, 200))} |`);
    }
    L.push('');
  }
  fs.writeFileSync(out, `${L.join('\n')}\n`);
  console.log(`${path.relative(process.cwd(), out)}: whisperd ${cats.map((c) => `${c} ${tally(w.rows, c)}`).join(', ')}`);
}

main();
