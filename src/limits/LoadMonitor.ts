/**
 * (issue 14) Load limits like rtpengine's `max-load`, `max-cpu` and `max-bandwidth` (config limits.maxLoad,
 * limits.maxCpu, limits.maxBandwidth; limits.maxSessions stays in CallRegistry). A timer samples, once a
 * second and never on the packet path: the 1-minute load average, this process's CPU time, and the media
 * byte counters (src/media/counters.ts, the same numbers /metrics reads). An offer that would create a call
 * asks `refusing()` — one comparison of cached numbers — and is refused while a limit is reached, exactly
 * like the session limit (SessionLimitError: `result: "load limit"` when the request supports it, else
 * "Parallel session limit reached"), so Kamailio's and OpenSIPS's rtpengine modules try the next node.
 *
 * rtpengine's semantics (daemon/load.c, call_interfaces.c call_offer_session_limit, rtpengine(1)) and where
 * whisperd differs:
 *  - Order and test: sessions, then load, then CPU, then bandwidth; a limit is reached when the value is
 *    >= the limit (rtpengine's test); 0 = off. Same here. No hysteresis in either: the next sample clears it.
 *  - max-load: getloadavg()'s 1-minute figure, sampled every 0.5 s. Same figure here (os.loadavg()[0]),
 *    sampled every `intervalMs` (1 s). It is the machine's load, not this process's.
 *  - max-cpu: rtpengine reads /proc/stat, i.e. the WHOLE MACHINE's busy share (user+nice+system against
 *    idle; iowait/irq/steal not counted), every 0.5 s. whisperd (config limits.maxCpu, as documented there)
 *    measures THIS PROCESS's CPU time (process.cpuUsage: getrusage(RUSAGE_SELF), which covers every thread
 *    of the process — Node's, libuv's and the addon's media threads) as a percentage of the machine
 *    (elapsed time x os.availableParallelism()). A node sharing its machine is therefore not refused for
 *    another process's CPU use (use maxLoad for that); on a dedicated machine the two are close.
 *  - max-bandwidth: rtpengine's rate is of RECEIVED bytes only ("based on received packets, not sent
 *    packets", sampled every 1 s). whisperd counts media bytes IN + OUT (RTP and RTCP, UDP payload) per
 *    second, as limits.maxBandwidth documents: with plain relaying about twice rtpengine's figure for the
 *    same traffic — set the limit accordingly.
 *  - rtpengine answers a supporting proxy with a per-limit message ("Load limit exceeded", "CPU usage
 *    limit exceeded", "Bandwidth limit exceeded"); whisperd's reply comes from toNgError (src/errors.ts)
 *    and carries "Parallel session limit reached" for every limit (the `result` is the same "load limit",
 *    which is all Kamailio reads). The limit is named in the log line, the rejections metric and /readyz.
 *  - Scope: like rtpengine, only an offer that would CREATE a call is refused; re-offers, answers and
 *    deletes of existing calls proceed (refusing them would break calls in progress, and the proxy
 *    keeps a call on its node anyway). Supervision joins (ng `supervise`, HTTP POST .../supervisors)
 *    add a participant to an existing call and are not refused either: the call is already here and
 *    cannot move to another node, and refusing a supervisor would not shed the load the customer's call
 *    makes. (Kamailio `rtpengine_allow_op` style maintenance is what /readyz "draining" is for.)
 */
import os from 'node:os';
import type { Logger } from '../log';
import { CounterSlot, mediaCounters } from '../media/counters';

/** Limits this monitor watches (maxSessions is CallRegistry's: 'sessions'). */
export type LoadLimitName = 'load' | 'cpu' | 'bandwidth';
/** Every limit that can refuse a new call, as the rejections metric labels them. */
export const LIMIT_NAMES = ['sessions', 'load', 'cpu', 'bandwidth'] as const;
export type AnyLimitName = (typeof LIMIT_NAMES)[number];

export interface LoadLimits {
  /** 1-minute load average; 0 = off. */
  maxLoad: number;
  /** Percent of the machine; 0 = off. */
  maxCpu: number;
  /** Media bytes per second (in + out); 0 = off. */
  maxBandwidth: number;
}

/** Where the monitor reads its numbers (injected by tests). */
export interface LoadSamplers {
  /** 1-minute load average. */
  loadAverage(): number;
  /** This process's CPU time so far (user + system, all threads), microseconds. */
  cpuMicros(): number;
  /** Media bytes so far, in + out. */
  mediaBytes(): number;
  /** Monotonic clock, ms. */
  nowMs(): number;
  /** CPUs the process can use (the machine's 100 %). */
  cpus(): number;
}

export const defaultSamplers: LoadSamplers = {
  loadAverage: () => os.loadavg()[0]!,
  cpuMicros: () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  },
  mediaBytes: () => {
    // A reader: `values` folds the media threads' counts in first (main thread, off the packet path).
    const v = mediaCounters.values;
    return v[CounterSlot.RTP_BYTES_IN]! + v[CounterSlot.RTP_BYTES_OUT]! + v[CounterSlot.RTCP_BYTES_IN]! + v[CounterSlot.RTCP_BYTES_OUT]!;
  },
  nowMs: () => performance.now(),
  cpus: () => os.availableParallelism(),
};

export interface LoadSample {
  /** 1-minute load average. */
  load: number;
  /** This process's CPU use over the last interval, percent of the machine. */
  cpuPercent: number;
  /** Media bytes per second (in + out) over the last interval. */
  bandwidth: number;
}

export interface LoadMonitorOptions {
  /** Sampling interval, ms (default 1000). */
  intervalMs?: number;
  samplers?: LoadSamplers;
  log?: Logger;
}

export class LoadMonitor {
  /** The latest sample (all 0 before the first interval has passed). */
  readonly latest: LoadSample = { load: 0, cpuPercent: 0, bandwidth: 0 };
  /** New calls refused, by limit (read by /metrics). */
  readonly refused: Record<AnyLimitName, number> = { sessions: 0, load: 0, cpu: 0, bandwidth: 0 };
  /** Where the numbers come from; tests replace it (then call sample()). */
  samplers: LoadSamplers;
  private readonly intervalMs: number;
  private readonly log: Logger | undefined;
  private timer: NodeJS.Timeout | null = null;
  private lastAt = -1;
  private lastCpu = 0;
  private lastBytes = 0;
  /** Limits reached at the latest sample, in rtpengine's order (load, cpu, bandwidth). */
  private reached: LoadLimitName[] = [];

  constructor(
    readonly limits: LoadLimits,
    opts: LoadMonitorOptions = {},
  ) {
    this.samplers = opts.samplers ?? defaultSamplers;
    this.intervalMs = opts.intervalMs ?? 1000;
    this.log = opts.log;
  }

  /** Take a first reading and sample every interval from now on (the timer does not keep the process alive). */
  start(): void {
    if (this.timer !== null) return;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** One sample: read the counters, compute rates over the time since the previous one, re-evaluate the limits. Public for tests. */
  sample(): void {
    const s = this.samplers;
    const now = s.nowMs();
    const cpu = s.cpuMicros();
    const bytes = s.mediaBytes();
    this.latest.load = s.loadAverage();
    if (this.lastAt >= 0 && now > this.lastAt) {
      const elapsedMs = now - this.lastAt;
      this.latest.cpuPercent = Math.max(0, (cpu - this.lastCpu) / 1000 / (elapsedMs * Math.max(1, s.cpus()))) * 100;
      this.latest.bandwidth = Math.max(0, bytes - this.lastBytes) / (elapsedMs / 1000);
    }
    this.lastAt = now;
    this.lastCpu = cpu;
    this.lastBytes = bytes;
    const before = this.reached;
    const { maxLoad, maxCpu, maxBandwidth } = this.limits;
    const reached: LoadLimitName[] = [];
    if (maxLoad > 0 && this.latest.load >= maxLoad) reached.push('load');
    if (maxCpu > 0 && this.latest.cpuPercent >= maxCpu) reached.push('cpu');
    if (maxBandwidth > 0 && this.latest.bandwidth >= maxBandwidth) reached.push('bandwidth');
    this.reached = reached;
    if (this.log !== undefined && reached.join() !== before.join()) {
      const fields = { limits: reached, load: round2(this.latest.load), cpuPercent: round2(this.latest.cpuPercent), bandwidth: Math.round(this.latest.bandwidth) };
      if (reached.length > 0) this.log.warn(fields, 'load limit reached: new calls are refused');
      else this.log.info(fields, 'load limits clear: new calls accepted');
    }
  }

  /** The limit refusing a new call now (the first reached, rtpengine's order), or null. */
  refusing(): LoadLimitName | null {
    return this.reached.length > 0 ? this.reached[0]! : null;
  }

  /** Every limit reached at the latest sample. */
  reachedLimits(): readonly LoadLimitName[] {
    return this.reached;
  }

  /** Count a refused new call (CallRegistry's onRefused). */
  countRefusal(limit: string): void {
    if (limit in this.refused) this.refused[limit as AnyLimitName]++;
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
