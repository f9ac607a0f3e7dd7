'use strict';
// Minimal hand-written SVG line plots (no dependencies).

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#7f7f7f'];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceTicks(lo, hi, n = 6) {
  const span = hi - lo || 1;
  const step0 = span / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
function logTicks(lo, hi) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    const v = 10 ** e;
    if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
  }
  return out;
}
function fmt(v) {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  if (a > 0 && a < 0.01) return v.toExponential(0);
  return `${+v.toPrecision(3)}`;
}

/**
 * series: [{name, points: [[x, y], ...], dash?: true, color?}]
 * opts: {title, xLabel, yLabel, xLog, yLog, xMin, xMax, yMin, yMax, width, height}
 */
function linePlot(series, opts) {
  const W = opts.width ?? 720;
  const H = opts.height ?? 440;
  const m = { l: 70, r: 200, t: 40, b: 55 };
  const pts = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const posOk = (v, log) => (log ? v > 0 : true);
  const xs = pts.map((p) => p[0]).filter((v) => posOk(v, opts.xLog));
  const ys = pts.map((p) => p[1]).filter((v) => posOk(v, opts.yLog));
  let xMin = opts.xMin ?? Math.min(...xs);
  let xMax = opts.xMax ?? Math.max(...xs);
  let yMin = opts.yMin ?? (opts.yLog ? Math.min(...ys) : Math.min(0, ...ys));
  let yMax = opts.yMax ?? Math.max(...ys);
  if (!Number.isFinite(xMin) || !Number.isFinite(xMax)) { xMin = opts.xLog ? 1 : 0; xMax = 1; }
  if (!Number.isFinite(yMin) || !Number.isFinite(yMax)) { yMin = opts.yLog ? 1 : 0; yMax = 1; }
  if (xMax === xMin) xMax = xMin + (opts.xLog ? xMin * 9 : 1);
  if (yMax === yMin) yMax = yMin + (opts.yLog ? yMin * 9 : 1);
  const tx = (v) => (opts.xLog ? Math.log10(v) : v);
  const ty = (v) => (opts.yLog ? Math.log10(v) : v);
  const X = (v) => m.l + ((tx(v) - tx(xMin)) / (tx(xMax) - tx(xMin))) * (W - m.l - m.r);
  const Y = (v) => H - m.b - ((ty(v) - ty(yMin)) / (ty(yMax) - ty(yMin))) * (H - m.t - m.b);
  const o = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  o.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  o.push(`<text x="${W / 2 - m.r / 2}" y="22" text-anchor="middle" font-size="15">${esc(opts.title)}</text>`);
  const xt = opts.xLog ? logTicks(xMin, xMax) : niceTicks(xMin, xMax);
  const yt = opts.yLog ? logTicks(yMin, yMax) : niceTicks(yMin, yMax);
  for (const v of xt) {
    o.push(`<line x1="${X(v)}" x2="${X(v)}" y1="${m.t}" y2="${H - m.b}" stroke="#e5e5e5"/>`);
    o.push(`<text x="${X(v)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(v)}</text>`);
  }
  for (const v of yt) {
    o.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${Y(v)}" y2="${Y(v)}" stroke="#e5e5e5"/>`);
    o.push(`<text x="${m.l - 6}" y="${Y(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
  }
  o.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#333"/>`);
  o.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle">${esc(opts.xLabel)}</text>`);
  o.push(`<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(opts.yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = s.color ?? COLORS[i % COLORS.length];
    const p = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && posOk(x, opts.xLog) && posOk(y, opts.yLog)
      && x >= xMin && x <= xMax);
    if (p.length) {
      const clampY = (y) => Math.min(Math.max(y, yMin), yMax);
      const d = p.map(([x, y]) => `${X(x).toFixed(1)},${Y(clampY(y)).toFixed(1)}`).join(' ');
      o.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${s.dash ? ' stroke-dasharray="6 4"' : ''} points="${d}"/>`);
      if (s.markers !== false && p.length <= 40) for (const [x, y] of p) o.push(`<circle cx="${X(x).toFixed(1)}" cy="${Y(clampY(y)).toFixed(1)}" r="3" fill="${color}"/>`);
    }
    const ly = m.t + 10 + i * 20;
    o.push(`<line x1="${W - m.r + 12}" x2="${W - m.r + 36}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dash ? ' stroke-dasharray="6 4"' : ''}/>`);
    o.push(`<text x="${W - m.r + 42}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  o.push('</svg>');
  return o.join('\n') + '\n';
}

module.exports = { linePlot };
