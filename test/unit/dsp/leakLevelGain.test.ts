/**
 * LeakLevel's gain interpolation (session 13): the lag is chosen by significance (|num|/sqrt(den)), the gain
 * (num/den) is interpolated parabolically over that lag and its two neighbours only where the gain profile
 * peaks there. Where a neighbour's gain is higher (nearly collinear gains: the vertex lies outside the three
 * lags), the interpolation ran away: session 13's 50 h with a -50 dB leak read the real -50 dB path at -6.4 dB
 * (gains -59.5 / -53.9 / -50.5 dB around the best lag at the edge of its span; an alarm). White-box: the sums
 * are set directly and the private pickBest is called, as update() does after every evaluation.
 */
import t from 'tap';
import { LeakLevel } from '../../../src/dsp/leakLevel';

function levelOf(gains: number[], dens: number[]): { gain: number; best: number } {
  const l = new LeakLevel(2, 160, 100, 0.9);
  const w = l as unknown as { num: Float64Array; den: Float64Array; pickBest(): void; best: number; center: number };
  w.center = 100;
  for (let k = 0; k < 5; k++) {
    w.den[k] = dens[k]!;
    w.num[k] = gains[k]! * dens[k]!;
  }
  w.pickBest();
  return { gain: l.gain, best: w.best };
}

t.test('a neighbour with a higher gain: no run-away vertex, the gain at the best lag', async (t) => {
  // The calibration call's shape: the best lag by significance (13.4) has a neighbour with a higher gain on a
  // smaller den (significance 8.2); the three gains nearly on a line.
  const gains = [0.5e-3, 1.06e-3, 2.02e-3, 2.97e-3, 0.5e-3];
  const dens = [1e6, 4.4e7, 4.4e7, 7.59e6, 1e6];
  const r = levelOf(gains, dens);
  t.equal(r.best, 2, 'the best lag is the most significant one');
  t.ok(r.gain <= Math.max(...gains.slice(1, 4)) * (1 + 1e-12), `gain ${r.gain} within the three lags' gains (without the rule: 0.048, -26 dB from gains of -54 to -50 dB)`);
  t.equal(r.gain, 2.02e-3, 'the gain at the best lag');
});

t.test('a peak of the gain profile is still interpolated', async (t) => {
  const gains = [0.5e-3, 1e-3, 2e-3, 1.5e-3, 0.5e-3];
  const dens = [1e6, 4e7, 4e7, 4e7, 1e6];
  const r = levelOf(gains, dens);
  t.equal(r.best, 2);
  // Vertex of the parabola through (-1, 1e-3), (0, 2e-3), (1, 1.5e-3): 2e-3 + 0.125 (0.5e-3)^2 / 1.5e-3.
  t.ok(Math.abs(r.gain - (2e-3 + (0.125 * 0.25e-6) / 1.5e-3)) < 1e-12, `gain ${r.gain}: the vertex, above the best lag's 2e-3`);
});
