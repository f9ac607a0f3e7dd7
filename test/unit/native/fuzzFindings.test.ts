/**
 * Regression tests for defects the libFuzzer harnesses (native/fuzz/) found. Each runs the reproducer
 * through the addon's public API in a child process, because the defect was a process kill (SIGFPE),
 * which no in-process assertion could observe.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import t from 'tap';

const root = path.join(__dirname, '..', '..', '..');

/** Run `body` (JS using `m`, the loaded addon) in a fresh Node; returns exit status, signal and stdout. */
function inChild(body: string): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const script = `const m = require('node-gyp-build')(${JSON.stringify(path.join(root, 'native'))});\n${body}`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// fuzz_decode, G.729 decodeCn: bcg729 1.1.1 turns the reflection coefficients of an RFC 3389 payload
// into LSPs with a root search (LP2LSPConversion) that detects a sign change on bit 28 and then divides
// by the (halved) difference of two polynomial values, which can be 0: integer division by zero,
// SIGFPE, the whole daemon gone. Found by the fuzzer within 30 s; random payloads rarely hit it.
// The fuzzer's input had level byte 0; 60 (-60 dBov, a usual CN level) crashes bcg729 the same way.
const FPE_PAYLOAD = [60, 0x24, 0x57, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x57];

t.test('an RFC 3389 comfort-noise payload cannot kill the process through bcg729 (g729DecodeCn)', async (t) => {
  const r = inChild(`
    const d = m.g729DecoderCreate();
    const out = new Int16Array(160);
    const n = m.g729DecodeCn(d, new Uint8Array(${JSON.stringify(FPE_PAYLOAD)}), 0, ${FPE_PAYLOAD.length}, out, 0, 160);
    let energy = 0;
    for (const s of out) energy += s * s;
    console.log(JSON.stringify({ n, energy }));
  `);
  t.equal(r.signal, null, `no signal (got ${r.signal}; stderr: ${r.stderr.slice(0, 200)})`);
  t.equal(r.status, 0, 'the process exits normally');
  const res = r.stdout ? (JSON.parse(r.stdout) as { n: number; energy: number }) : { n: -99, energy: 0 };
  t.equal(res.n, 160, 'comfort noise for the 20 ms asked');
  t.ok(res.energy > 0, 'and it is noise, not silence');
});

t.test('the comfort-noise level of an RFC 3389 payload is still honoured (louder level byte, more energy)', async (t) => {
  const r = inChild(`
    const energy = (level, coeffs) => {
      const d = m.g729DecoderCreate();
      const out = new Int16Array(960);
      const p = new Uint8Array([level, ...coeffs]);
      if (m.g729DecodeCn(d, p, 0, p.length, out, 0, 960) !== 960) return -1;
      let e = 0;
      for (let i = 480; i < 960; i++) e += out[i] * out[i];
      return e / 480;
    };
    console.log(JSON.stringify({ loud: energy(50, []), quiet: energy(80, []), loudShaped: energy(50, [127, 140, 120]) }));
  `);
  t.equal(r.status, 0, `exits normally (${r.signal ?? ''} ${r.stderr.slice(0, 200)})`);
  const e = JSON.parse(r.stdout || '{}') as { loud: number; quiet: number; loudShaped: number };
  t.ok(e.loud > 100 * e.quiet, `-50 dBov is far louder than -80 dBov (${e.loud?.toFixed(1)} vs ${e.quiet?.toFixed(3)} mean square)`);
  t.ok(e.loudShaped > 100 * e.quiet, 'also with spectral coefficients present');
});
