/** Shared by the codec micro-benchmarks (codec.bench.ts, codec-native.bench.ts). */

/** A deterministic speech-like test signal: gliding f0 with ten harmonics plus a little noise. */
export function speechLike(samples: number, rate: number): Int16Array {
  const out = new Int16Array(samples);
  let seed = 7;
  for (let i = 0; i < samples; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const f0 = 120 + 30 * Math.sin(i / rate);
    let v = 0;
    for (let h = 1; h <= 10; h++) v += Math.sin((2 * Math.PI * f0 * h * i) / rate) / h;
    out[i] = Math.round(4000 * v + ((seed >>> 16) % 400) - 200);
  }
  return out;
}

/**
 * Times `fn` over `iter` calls after `warmup` calls, `rounds` times, and gives the best (least disturbed
 * by other load) ns per call and heap bytes per call (NaN unless run with --expose-gc).
 */
export function timeCalls(
  fn: (i: number) => void,
  iter: number,
  rounds: number,
  warmup: number,
): { ns: number; bytesPerOp: number } {
  for (let i = 0; i < Math.min(warmup, iter); i++) fn(i); // warm-up (JIT, caches)
  const gc = (globalThis as { gc?: () => void }).gc;
  let ns = Infinity;
  let bytesPerOp = NaN;
  for (let r = 0; r < rounds; r++) {
    gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iter; i++) fn(i);
    const t1 = process.hrtime.bigint();
    const heap1 = process.memoryUsage().heapUsed;
    ns = Math.min(ns, Number(t1 - t0) / iter);
    if (gc) bytesPerOp = Number.isNaN(bytesPerOp) ? (heap1 - heap0) / iter : Math.min(bytesPerOp, (heap1 - heap0) / iter);
  }
  return { ns, bytesPerOp };
}
