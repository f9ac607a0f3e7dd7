/**
 * (issue 14) Load-limit metrics, read from the LoadMonitor at scrape time:
 *   whisperd_load_limited                       gauge 0/1: a limit (sessions, load, cpu, bandwidth) refuses new calls now;
 *   whisperd_load_limit_rejections_total{limit} counter: new calls refused, by limit (sessions|load|cpu|bandwidth);
 *   whisperd_load_average                       gauge: the sampled 1-minute load average (limits.maxLoad);
 *   whisperd_cpu_usage_percent                  gauge: this process's CPU use, percent of the machine (limits.maxCpu);
 *   whisperd_media_bandwidth_bytes_per_second   gauge: media bytes per second, in + out (limits.maxBandwidth).
 * Every label value of the counter exists from the start (0), so rate() and dashboards see the series at once.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { LIMIT_NAMES, type LoadMonitor } from './LoadMonitor';

export interface LimitMetricsSources {
  monitor: LoadMonitor;
  /** Every limit refusing new calls now, sessions included. */
  limitsReached: () => readonly string[];
}

export function registerLimitMetrics(r: Registry, src: LimitMetricsSources): void {
  const { monitor } = src;
  new Gauge({
    name: 'whisperd_load_limited',
    help: 'A load limit (limits.maxSessions, maxLoad, maxCpu, maxBandwidth) refuses new calls now: 1, else 0',
    registers: [r],
    collect() {
      this.set(src.limitsReached().length > 0 ? 1 : 0);
    },
  });
  new Counter({
    name: 'whisperd_load_limit_rejections_total',
    help: 'New calls refused by a load limit ("load limit" / "Parallel session limit reached"), by limit (sessions, load, cpu, bandwidth)',
    labelNames: ['limit'],
    registers: [r],
    collect() {
      this.reset();
      for (const limit of LIMIT_NAMES) this.inc({ limit }, monitor.refused[limit]);
    },
  });
  new Gauge({
    name: 'whisperd_load_average',
    help: '1-minute load average of the machine, as sampled for limits.maxLoad',
    registers: [r],
    collect() {
      this.set(monitor.latest.load);
    },
  });
  new Gauge({
    name: 'whisperd_cpu_usage_percent',
    help: "This process's CPU use (all threads) over the last sample interval, percent of the machine, as sampled for limits.maxCpu",
    registers: [r],
    collect() {
      this.set(monitor.latest.cpuPercent);
    },
  });
  new Gauge({
    name: 'whisperd_media_bandwidth_bytes_per_second',
    help: 'Media bytes per second (RTP and RTCP UDP payload, in + out) over the last sample interval, as sampled for limits.maxBandwidth',
    registers: [r],
    collect() {
      this.set(monitor.latest.bandwidth);
    },
  });
}
