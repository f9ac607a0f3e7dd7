'use strict';
/*
 * What report.js and report-included.js share: their arguments, the newest result table, reading a run.js
 * table, and the short form of a scenario's first failure.
 */
const fs = require('node:fs');
const path = require('node:path');

const HERE = __dirname;

/** --key=value arguments; values are paths (resolved) except the keys in `raw`. */
function args(raw = []) {
  const a = {};
  for (const arg of process.argv.slice(2)) {
    const m = /^--([a-z]+)=(.*)$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg}`);
    a[m[1]] = raw.includes(m[1]) ? m[2] : path.resolve(m[2]);
  }
  return a;
}

/** The newest file of results/ whose name matches `re`, or null. */
function newest(re) {
  const dir = path.join(HERE, 'results');
  const f = fs.readdirSync(dir).filter((n) => re.test(n)).sort().pop();
  return f ? path.join(dir, f) : null;
}

/** A run.js table: its # header lines and its rows by scenario index (without the excluded ones if asked). */
function readTable(file, { dropExcluded = false } = {}) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const head = lines.filter((l) => l.startsWith('#'));
  const rows = new Map();
  for (const l of lines) {
    if (!l || l.startsWith('#') || l.startsWith('index\t')) continue;
    const [idx, line, name, result, detail, category] = l.split('\t');
    if (dropExcluded && result === 'excluded') continue;
    rows.set(Number(idx), { idx: Number(idx), line: Number(line), name, result, detail: detail ?? '', category: category ?? 'plain' });
  }
  return { head, rows };
}

/** The first failure, short: "answer@2998 SDP l5: exp `...` got `...`" (others: the detail's first `max` characters). */
function short(detail, max = 180) {
  let m = /^SDPDIFF: (\w+) '.*?' \(at line (\d+)\) SDP line (\d+): expected '(.*)' got '(.*)'$/.exec(detail);
  if (m) return `${m[1]}@${m[2]} SDP l${m[3]}: exp \`${m[4]}\` got \`${m[5]}\``;
  m = /^RTPDIFF: \(at line (\d+)\) got (.*?) expected (.*)$/.exec(detail);
  if (m) return `rcv@${m[1]}: got ${m[2].slice(0, 90)} exp ${m[3].slice(0, 70)}`;
  m = /^RCVTIMEOUT: .*\(rcv at line (\d+)\)/.exec(detail);
  if (m) return `rcv@${m[1]}: no packet within 1 s`;
  return detail.slice(0, max);
}

module.exports = { HERE, args, newest, readTable, short };
