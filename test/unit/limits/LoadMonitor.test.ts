/**
 * (issue 14) LoadMonitor with injected samplers: each limit (load, cpu, bandwidth) trips at its
 * threshold (>=, rtpengine's test) and clears at the next sample below it; 0 = off; order of refusal;
 * rates over the sample interval; the default samplers read real process numbers.
 */
import t from 'tap';
import { LoadMonitor, defaultSamplers } from '../../../src/limits/LoadMonitor';
import { FakeSamplers } from '../../fixtures/loadSamplers';

function monitor(limits: { maxLoad?: number; maxCpu?: number; maxBandwidth?: number }) {
  const fake = new FakeSamplers();
  const m = new LoadMonitor({ maxLoad: 0, maxCpu: 0, maxBandwidth: 0, ...limits }, { samplers: fake });
  m.sample(); // baseline
  return { m, fake };
}

t.test('load average: trips at the limit, clears below it', async (t) => {
  const { m, fake } = monitor({ maxLoad: 4 });
  fake.load = 3.99;
  fake.step(1000, 0, 0);
  m.sample();
  t.equal(m.refusing(), null, 'below: admitted');
  fake.load = 4;
  fake.step(1000, 0, 0);
  m.sample();
  t.equal(m.refusing(), 'load', 'at the limit: refused (>=)');
  t.strictSame(m.reachedLimits(), ['load']);
  t.equal(m.latest.load, 4);
  fake.load = 2.5;
  fake.step(1000, 0, 0);
  m.sample();
  t.equal(m.refusing(), null, 'cleared');
});

t.test('cpu: this process, percent of the machine, over the interval', async (t) => {
  const { m, fake } = monitor({ maxCpu: 50 });
  fake.step(1000, 30, 0);
  m.sample();
  t.equal(Math.round(m.latest.cpuPercent), 30, 'rate over the interval, divided by the cores');
  t.equal(m.refusing(), null);
  fake.step(2000, 75, 0);
  m.sample();
  t.equal(Math.round(m.latest.cpuPercent), 75);
  t.equal(m.refusing(), 'cpu');
  // No time passed (the timer sampling between two test steps): nothing changes.
  m.sample();
  t.equal(m.refusing(), 'cpu', 'a sample with no elapsed time keeps the state');
  fake.step(1000, 10, 0);
  m.sample();
  t.equal(m.refusing(), null, 'cleared');
});

t.test('bandwidth: media bytes per second', async (t) => {
  const { m, fake } = monitor({ maxBandwidth: 100_000 });
  fake.step(1000, 0, 99_000);
  m.sample();
  t.equal(Math.round(m.latest.bandwidth), 99_000);
  t.equal(m.refusing(), null);
  fake.step(500, 0, 150_000);
  m.sample();
  t.equal(Math.round(m.latest.bandwidth), 150_000, 'rate, whatever the interval');
  t.equal(m.refusing(), 'bandwidth');
  fake.step(1000, 0, 1000);
  m.sample();
  t.equal(m.refusing(), null, 'cleared');
});

t.test('limits off (0) never refuse; several reached: the first in rtpengine order', async (t) => {
  const off = monitor({});
  off.fake.load = 1000;
  off.fake.step(1000, 100, 1e12);
  off.m.sample();
  t.equal(off.m.refusing(), null, 'all off');
  t.ok(off.m.latest.load === 1000 && off.m.latest.cpuPercent > 99, 'still sampled (for the gauges)');

  const { m, fake } = monitor({ maxLoad: 1, maxCpu: 10, maxBandwidth: 10 });
  fake.load = 2;
  fake.step(1000, 50, 1000);
  m.sample();
  t.strictSame(m.reachedLimits(), ['load', 'cpu', 'bandwidth']);
  t.equal(m.refusing(), 'load');
  fake.load = 0;
  fake.step(1000, 50, 1000);
  m.sample();
  t.equal(m.refusing(), 'cpu');
});

t.test('refusal counts by limit; unknown names ignored', async (t) => {
  const { m } = monitor({});
  m.countRefusal('sessions');
  m.countRefusal('cpu');
  m.countRefusal('cpu');
  m.countRefusal('nonsense');
  t.strictSame(m.refused, { sessions: 1, load: 0, cpu: 2, bandwidth: 0 });
});

t.test('the timer samples and stops; default samplers read this process', async (t) => {
  const s = defaultSamplers;
  t.ok(s.loadAverage() >= 0);
  t.ok(s.cpus() >= 1);
  const c0 = s.cpuMicros();
  let x = 0;
  for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
  t.ok(x > 0 && s.cpuMicros() > c0, 'process CPU time advances with work');
  t.ok(s.mediaBytes() >= 0);
  const m = new LoadMonitor({ maxLoad: 0, maxCpu: 0, maxBandwidth: 0 }, { intervalMs: 50 });
  m.start();
  await new Promise((r) => setTimeout(r, 300));
  m.stop();
  t.ok(m.latest.load >= 0 && m.latest.cpuPercent >= 0 && m.latest.bandwidth >= 0, 'sampled');
});
