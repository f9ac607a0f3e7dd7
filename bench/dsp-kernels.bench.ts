/**
 * The bleed detector's DSP kernels, native (src/dsp/realFft.ts on FFTW, src/dsp/decimator.ts in the addon)
 * against the former TypeScript code (test/fixtures/dsp/realFftTs.ts, decimatorTs.ts).
 * CPU = process.cpuUsage (user + system) around each loop, after a warm-up loop (JIT); not wall time.
 * Session 10: each native kernel in both variants (native/src/dsp/simd.h: AVX2 where the CPU has it, SSE2
 * baseline), and one GCC-PHAT evaluation against the TypeScript oracle.
 * Run: node_modules/.bin/ts-node-transpile-only bench/dsp-kernels.bench.ts [--reps=N]
 */
import { RealFft } from '../src/dsp/realFft';
import { Decimator } from '../src/dsp/decimator';
import { HighPass } from '../src/dsp/biquad';
import { GccPhat } from '../src/dsp/gccPhat';
import { dspKernels, ringXcorr } from '../src/dsp/nativeDsp';
import { RealFftTs } from '../test/fixtures/dsp/realFftTs';
import { DecimatorTs } from '../test/fixtures/dsp/decimatorTs';
import { ringXcorrTs } from '../test/fixtures/dsp/ringXcorrTs';
import { GccPhatTs } from '../test/fixtures/dsp/gccPhatTs';

const reps = Number(process.argv.find((a) => a.startsWith('--reps='))?.slice(7) ?? 3000);

function cpuUs(fn: () => void, n: number): number {
  for (let i = 0; i < Math.max(50, n / 10); i++) fn();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}

console.log(`# DSP kernels, node ${process.version} (process CPU time per call, us)\n`);
console.log('| transform | native (FFTW) | TypeScript | ratio |\n|---|---|---|---|');
for (const n of [1024, 4096, 8192]) {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i * 0.37) * 1000 + ((i * 7919) % 101);
  const re = new Float64Array(n / 2 + 1), im = new Float64Array(n / 2 + 1), y = new Float64Array(n);
  for (const dir of ['forward', 'inverse'] as const) {
    const a = new RealFft(n);
    const b = new RealFftTs(n);
    a.forward(x, re, im);
    const fa = dir === 'forward' ? () => a.forward(x, re, im) : () => a.inverse(re, im, y);
    const fb = dir === 'forward' ? () => b.forward(x, re, im) : () => b.inverse(re, im, y);
    const ua = cpuUs(fa, reps);
    const ub = cpuUs(fb, reps);
    console.log(`| ${n} ${dir} | ${ua.toFixed(2)} | ${ub.toFixed(2)} | ${(ub / ua).toFixed(1)}x |`);
  }
}

console.log('\n| decimate one 20 ms frame to 4 kHz (+ 250 Hz high-pass) | native, HP in the call | native + HighPass.step in JS | TypeScript + HighPass.step |\n|---|---|---|---|');
for (const rate of [8000, 16000, 48000]) {
  const f = rate / 50;
  const x = new Int16Array(f * 50);
  for (let i = 0; i < x.length; i++) x[i] = Math.round(8000 * Math.sin(i * 0.05) + ((i * 7919) % 2001) - 1000);
  const out = new Float64Array(f);
  let frame = 0;
  const run = (d: { process: (i: Int16Array, o: number, s: number, out: Float64Array, oo: number) => number }, hp: HighPass | null) => () => {
    const n = d.process(x, (frame++ % 50) * f, f, out, 0);
    if (hp !== null) for (let i = 0; i < n; i++) out[i] = hp.step(out[i]!);
  };
  const u1 = cpuUs(run(new Decimator(rate, 4000, { highPassHz: 250 }), null), reps * 5);
  const u2 = cpuUs(run(new Decimator(rate, 4000), new HighPass(250, 4000)), reps * 5);
  const u3 = cpuUs(run(new DecimatorTs(rate, 4000), new HighPass(250, 4000)), reps * 5);
  console.log(`| ${rate} Hz (${f} samples) | ${u1.toFixed(2)} | ${u2.toFixed(2)} | ${u3.toFixed(2)} |`);
}

console.log('\n| lagged cross-products, one 160-sample chunk (LeakLevel) | native ringXcorr | TypeScript loops |\n|---|---|---|');
{
  const ring = 8192;
  const mask = ring - 1;
  const x = new Float32Array(ring), y = new Float32Array(ring);
  for (let i = 0; i < ring; i++) {
    x[i] = Math.sin(i) * 1000;
    y[i] = Math.cos(i * 1.3) * 1000;
  }
  const num = new Float64Array(100), den = new Float64Array(100);
  let s = 0;
  for (const lags of [17, 81]) {
    const a = cpuUs(() => ringXcorr(x, y, mask, (s += 160), 160, 480, lags, 1, num, den), reps * 5);
    const b = cpuUs(() => ringXcorrTs(x, y, mask, (s += 160), 160, 480, lags, 1, num, den), reps * 5);
    console.log(`| ${lags} lags | ${a.toFixed(2)} | ${b.toFixed(2)} |`);
  }
}

// Session 10: the kernel variants, and one delay-search evaluation.
{
  const variants = dspKernels() === 'avx2' ? (['auto', 'baseline'] as const) : (['baseline'] as const);
  const cols = variants.map((v) => (v === 'auto' ? 'AVX2' : 'baseline (SSE2)'));
  const row = (label: string, fn: () => () => void, n: number): void => {
    const us = variants.map((v) => {
      dspKernels(v);
      const u = cpuUs(fn(), n);
      dspKernels('auto');
      return u.toFixed(2);
    });
    console.log(`| ${label} | ${us.join(' | ')} |`);
  };
  console.log(`\n| kernel, us per call | ${cols.join(' | ')} |\n|---|${cols.map(() => '---|').join('')}`);
  for (const rate of [8000, 16000, 48000]) {
    const f = rate / 50;
    const a = new Int16Array(f * 50);
    for (let i = 0; i < a.length; i++) a[i] = Math.round(8000 * Math.sin(i * 0.05) + ((i * 7919) % 2001) - 1000);
    const oa = new Float64Array(f);
    row(`decimate one 20 ms frame, ${rate} Hz (+ 250 Hz high-pass)`, () => {
      const d = new Decimator(rate, 4000, { highPassHz: 250 });
      let frame = 0;
      return () => d.process(a, (frame++ % 50) * f, f, oa, 0);
    }, reps * 5);
  }
  const ring = 8192;
  const mask = ring - 1;
  const x = new Float32Array(ring), y = new Float32Array(ring);
  for (let i = 0; i < ring; i++) {
    x[i] = Math.sin(i) * 1000 + ((i * 7919) % 201);
    y[i] = Math.cos(i * 1.3) * 1000 + 0.1 * x[(i - 480) & mask]!;
  }
  const num = new Float64Array(33), den = new Float64Array(33);
  let s = 0;
  row('ringXcorr, one 160-sample chunk, 33 lags (a fit of +-4 ms)', () => () => ringXcorr(x, y, mask, (s += 160), 160, 480, 33, 1, num, den), reps * 5);
  const geometry = { size: 4096, window: 2048, maxLag: 2000, binLo: 256, binHi: 1945, coherent: 0.8, beta: 0.75, minLag: 80, excludeAfter: 400, excludeBefore: 10 };
  let end = 4096;
  row('GCC-PHAT-0.75 evaluation, detector geometry (ring copies, 4 FFTs, bins, lags)', () => {
    const g = new GccPhat(geometry);
    return () => g.evaluate(x, y, mask, (end += 1000), 0.8, 0.5);
  }, reps);
  const ts = new GccPhatTs(geometry);
  console.log(`\nThe same evaluation in the TypeScript oracle (test/fixtures/dsp/gccPhatTs.ts, FFTW transforms): ${cpuUs(() => ts.evaluateRings(x, y, mask, (end += 1000), 0.8, 0.5), reps).toFixed(2)} us`);
}
