/**
 * Prometheus metrics (prom-client). Hot-path counters are plain numbers elsewhere (media/counters.ts,
 * CallRegistry.ended, NgServer.stats); the collect() callbacks below copy them at scrape time, so the
 * packet path never touches prom-client. Control-plane events (ng commands) are observed directly.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallRegistry } from '../call/CallRegistry';
import type { NgServerStats } from '../control/ng/NgServer';
import { DROP_REASON_NAMES, DropReason, mediaCounters } from '../media/counters';
import type { PortPool } from '../media/PortPool';
import { agentStateCounts, iceInbound, iceOutbound } from '../media/ice/counters';

export interface MetricsSources {
  registry: CallRegistry;
  pool: PortPool;
  ngStats: () => NgServerStats | undefined;
}

export class Metrics {
  readonly registry = new Registry();
  readonly ngCommands: Counter<'command' | 'result'>;
  readonly ngDuration: Histogram<'command'>;

  constructor(src: MetricsSources) {
    const r = this.registry;
    collectDefaultMetrics({ register: r, eventLoopMonitoringPrecision: 10 });

    new Gauge({
      name: 'whisperd_sessions',
      help: 'Calls currently held',
      registers: [r],
      collect() {
        this.set(src.registry.size);
      },
    });
    new Counter({
      name: 'whisperd_sessions_created_total',
      help: 'Calls created',
      registers: [r],
      collect() {
        this.reset();
        this.inc(src.registry.totalCreated);
      },
    });
    new Counter({
      name: 'whisperd_sessions_ended_total',
      help: 'Calls ended, by reason (deleted, timeout, offer-timeout, final-timeout, shutdown, error)',
      labelNames: ['reason'],
      registers: [r],
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(src.registry.ended)) this.inc({ reason }, n);
      },
    });
    this.ngCommands = new Counter({
      name: 'whisperd_ng_commands_total',
      help: 'ng commands executed (retransmissions excluded), by command and result',
      labelNames: ['command', 'result'],
      registers: [r],
    });
    this.ngDuration = new Histogram({
      name: 'whisperd_ng_command_duration_seconds',
      help: 'ng command processing time',
      labelNames: ['command'],
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [r],
    });
    new Counter({
      name: 'whisperd_ng_datagrams_total',
      help: 'ng datagrams by outcome (received, no_cookie, bad_data, retransmit, oversize, long_cookie, cache_full)',
      labelNames: ['outcome'],
      registers: [r],
      collect() {
        const s = src.ngStats();
        this.reset();
        if (!s) return;
        this.inc({ outcome: 'received' }, s.received);
        this.inc({ outcome: 'no_cookie' }, s.noCookie);
        this.inc({ outcome: 'bad_data' }, s.badData);
        this.inc({ outcome: 'retransmit' }, s.retransmits);
        this.inc({ outcome: 'oversize' }, s.oversize);
        this.inc({ outcome: 'long_cookie' }, s.longCookie);
        this.inc({ outcome: 'cache_full' }, s.cacheFull);
      },
    });
    new Counter({
      name: 'whisperd_packets_total',
      help: 'Media packets, by direction (in, out) and kind (rtp, rtcp)',
      labelNames: ['direction', 'kind'],
      registers: [r],
      collect() {
        const m = mediaCounters;
        this.reset();
        this.inc({ direction: 'in', kind: 'rtp' }, m.rtpPacketsIn);
        this.inc({ direction: 'out', kind: 'rtp' }, m.rtpPacketsOut);
        this.inc({ direction: 'in', kind: 'rtcp' }, m.rtcpPacketsIn);
        this.inc({ direction: 'out', kind: 'rtcp' }, m.rtcpPacketsOut);
      },
    });
    new Counter({
      name: 'whisperd_bytes_total',
      help: 'Media bytes (UDP payload), by direction (in, out) and kind (rtp, rtcp)',
      labelNames: ['direction', 'kind'],
      registers: [r],
      collect() {
        const m = mediaCounters;
        this.reset();
        this.inc({ direction: 'in', kind: 'rtp' }, m.rtpBytesIn);
        this.inc({ direction: 'out', kind: 'rtp' }, m.rtpBytesOut);
        this.inc({ direction: 'in', kind: 'rtcp' }, m.rtcpBytesIn);
        this.inc({ direction: 'out', kind: 'rtcp' }, m.rtcpBytesOut);
      },
    });
    new Counter({
      name: 'whisperd_packets_dropped_total',
      help: 'Media packets dropped, by reason',
      labelNames: ['reason'],
      registers: [r],
      collect() {
        this.reset();
        for (let i = 0; i < DROP_REASON_NAMES.length; i++) this.inc({ reason: DROP_REASON_NAMES[i]! }, mediaCounters.drops[i]!);
      },
    });
    // (issue 12) SRTP and the RFC 7983 demux, also under whisperd_packets_dropped_total by reason.
    new Counter({
      name: 'whisperd_srtp_auth_failures_total',
      help: 'SRTP/SRTCP packets dropped because their authentication tag did not verify (or they were too short for one)',
      registers: [r],
      collect() {
        this.reset();
        this.inc(mediaCounters.drops[DropReason.SRTP_AUTH]!);
      },
    });
    new Counter({
      name: 'whisperd_srtp_replays_total',
      help: 'SRTP/SRTCP packets dropped by the replay window',
      registers: [r],
      collect() {
        this.reset();
        this.inc(mediaCounters.drops[DropReason.SRTP_REPLAY]!);
      },
    });
    new Counter({
      name: 'whisperd_non_rtp_dropped_total',
      help: 'STUN/DTLS datagrams (RFC 7983) dropped because their endpoint had no handler for them',
      registers: [r],
      collect() {
        this.reset();
        this.inc(mediaCounters.drops[DropReason.NON_RTP]!);
      },
    });
    new Gauge({
      name: 'whisperd_ports_used',
      help: 'RTP/RTCP port pairs in use (including those held for delete delay)',
      registers: [r],
      collect() {
        this.set(src.pool.used);
      },
    });
    new Gauge({
      name: 'whisperd_ports_free',
      help: 'RTP/RTCP port pairs free',
      registers: [r],
      collect() {
        this.set(src.pool.free);
      },
    });
    new Counter({
      name: 'whisperd_ice_checks_total',
      help: 'ICE connectivity/consent checks (STUN Binding requests): direction in = received, by outcome (success, bad_request, unauthorized, unknown_attribute, role_conflict, malformed, rate_limited, stray_response); out = sent by whisperd (sent, retransmitted, succeeded, error, timeout)',
      labelNames: ['direction', 'result'],
      registers: [r],
      collect() {
        this.reset();
        for (const [k, n] of Object.entries(iceInbound)) this.inc({ direction: 'in', result: k }, n);
        for (const [k, n] of Object.entries(iceOutbound)) this.inc({ direction: 'out', result: k }, n);
      },
    });
    new Gauge({
      name: 'whisperd_ice_agents',
      help: 'ICE agents (one per endpoint with ICE), by state',
      labelNames: ['state'],
      registers: [r],
      collect() {
        this.reset();
        for (const [k, n] of Object.entries(agentStateCounts())) this.set({ state: k }, n);
      },
    });
  }

  /** Hook for NgServer.onCommand. */
  observeCommand(command: string, result: string, seconds: number): void {
    this.ngCommands.inc({ command, result });
    this.ngDuration.observe({ command }, seconds);
  }
}
