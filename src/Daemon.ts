/**
 * The composition root: builds every subsystem from a validated Config and wires them together.
 * main.ts starts one for the process; tests start them in-process on free ports.
 *
 *   NgServer (UDP) --dispatch--> commands --> call/ (offer/answer, registry) --> media/ endpoints
 *   HttpServer --> /metrics (metrics/), /healthz, JSON API
 */
import { BleedService } from './bleed/BleedService';
import { registerBleedMetrics } from './bleed/metrics';
import type { Config } from './config/schema';
import { CallRegistry } from './call/CallRegistry';
import type { SignallingContext } from './call/offerAnswer';
import type { CommandContext } from './control/ng/commands/context';
import { createDispatcher } from './control/ng/dispatch';
import { NgServer } from './control/ng/NgServer';
import { HttpServer } from './control/http/HttpServer';
import { registerApi } from './control/http/api';
import type { Logger } from './log';
import { Learning } from './media/RtpEndpoint';
import { PortPool } from './media/PortPool';
import { Interfaces } from './media/interfaces';
import { declareOwnAddresses, enableNativeRelay, enableSpares } from './media/openEndpoint';
import { setMediaThreadSched, setMediaThreads, stopMediaThreads } from './media/nativeRelay';
import { Metrics } from './metrics/registry';
import { registerSupervisionMetrics } from './metrics/supervisionMetrics';
import { registerDtlsMetrics } from './metrics/dtlsMetrics';
import { registerRecordingMetrics } from './metrics/recordingMetrics';
import { RecordingService } from './recording/RecordingService';
import { recordingCommands } from './control/ng/commands/recording';
import { answerCommand, offerCommand } from './control/ng/commands/offerAnswer';
import { queryCommand } from './control/ng/commands/query';
import { startDtls } from './media/dtls/certificate';
import { MediaEngine } from './call/MediaEngine';
import { AuditLog } from './supervision/AuditLog';
import { DtmfControl } from './supervision/DtmfControl';
import { EventBus } from './supervision/EventBus';
import { Policy } from './supervision/policy';
import { PromptFiles } from './prompts/promptFiles';
import { SupervisionService } from './supervision/SupervisionService';
import { callMatrix } from './supervision/matrix';
import { ClusterNode } from './cluster/ClusterNode';
import { ClusterMetrics } from './cluster/metrics';
import { replicatingHandler } from './control/ng/replicatingHandler';
import { snapshotCall, wantsRefresh } from './cluster/snapshot';
import { takeOver, takeoverCounters } from './cluster/restore';
import { clusterAwareHttp, registerClusterRoutes } from './control/http/api/cluster';
import { LoadMonitor } from './limits/LoadMonitor';
import { registerLimitMetrics } from './limits/metrics';
import { registerReadyz } from './control/http/readiness';

function splitHostPort(hp: string): { host: string; port: number } {
  const i = hp.lastIndexOf(':');
  return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
}

function learningOf(mode: Config['media']['endpointLearning']): Learning {
  if (mode === 'off') return Learning.OFF;
  if (mode === 'immediate') return Learning.IMMEDIATE;
  return Learning.DELAYED;
}

export class Daemon {
  readonly config: Config;
  readonly log: Logger;
  readonly pool: PortPool;
  readonly registry: CallRegistry;
  readonly metrics: Metrics;
  readonly engine: MediaEngine;
  readonly ng: NgServer;
  readonly http: HttpServer;
  readonly commands: CommandContext;
  readonly audit: AuditLog;
  readonly events = new EventBus();
  readonly supervision: SupervisionService;
  readonly bleed: BleedService;
  readonly recording: RecordingService;
  /** (issue 14) This node in the cluster (src/cluster/ClusterNode.ts); undefined when cluster.redis is empty. */
  readonly cluster: ClusterNode | undefined;
  /** (issue 14) Load limits limits.maxLoad/maxCpu/maxBandwidth, sampled once a second. */
  readonly load: LoadMonitor;
  /** (issue 14) True once an orderly shutdown has begun (beginDrain, close): /readyz answers 503 "draining". */
  draining = false;
  private closed = false;
  /** Ends this daemon's use of the DTLS certificate rotation timer (src/media/dtls/certificate.ts). */
  private stopDtls: () => void = () => undefined;

  private constructor(config: Config, log: Logger, audit: AuditLog) {
    this.config = config;
    this.log = log;
    this.audit = audit;
    const policy = new Policy(config.policy);
    this.pool = new PortPool(config.media.portMin, config.media.portMax);
    enableNativeRelay(this.pool, config.media.nativeRelay);
    setMediaThreads(config.media.threads);
    setMediaThreadSched(config.media.scheduling, config.media.priority ?? undefined);
    // Logical interfaces (media.interfaces; else one, `default`, from media.address/advertisedAddress).
    const interfaces = new Interfaces(
      config.media.interfaces.length > 0 ? config.media.interfaces : [{ name: 'default', address: config.media.address, advertisedAddress: config.media.advertisedAddress }],
    );
    const home = interfaces.addresses[0]!;
    declareOwnAddresses(this.pool, interfaces.addresses.flatMap((a) => [a.bind, a.advertised]));
    enableSpares(this.pool, home.bind, config.media.sparePairs);
    this.load = new LoadMonitor(config.limits, { log: log.child({ mod: 'limits' }) });
    this.registry = new CallRegistry(
      {
        maxSessions: config.limits.maxSessions,
        mediaTimeoutS: config.timeouts.media,
        offerTimeoutS: config.timeouts.offer,
        finalTimeoutS: config.timeouts.final,
        admit: () => this.load.refusing(),
        onRefused: (limit) => this.load.countRefusal(limit),
      },
      this.pool,
      log.child({ mod: 'calls' }),
    );
    this.engine = new MediaEngine(
      log.child({ mod: 'mix' }),
      { complexity: config.codecs.opusComplexity, bitrate: config.codecs.opusBitrate },
      callMatrix,
      config.media.engine,
      { silenceDetectPercent: config.media.silenceDetect, cnPayload: Uint8Array.from(config.media.cnPayload) },
    );
    const signalling: SignallingContext = {
      engine: this.engine,
      registry: this.registry,
      pool: this.pool,
      log: log.child({ mod: 'signalling' }),
      mediaAddress: home.bind,
      advertisedAddress: home.advertised,
      interfaces,
      learning: learningOf(config.media.endpointLearning),
      maxMediaPerOffer: config.limits.maxMediaPerOffer,
    };
    const promptFiles = new PromptFiles(config.prompts, log.child({ mod: 'prompts' }));
    const dtmf = new DtmfControl(config.supervision.supervisorKeys, config.supervision.agentKeys, log.child({ mod: 'dtmf' }));
    this.supervision = new SupervisionService({
      registry: this.registry,
      signalling,
      engine: this.engine,
      policy,
      audit,
      events: this.events,
      log: log.child({ mod: 'supervision' }),
      pageToneEnabled: config.supervision.pageTone,
      dtmf,
    });
    this.bleed = new BleedService({ engine: this.engine, registry: this.registry, supervision: this.supervision, events: this.events, config: config.bleed, log: log.child({ mod: 'bleed' }) });
    this.recording = new RecordingService({ engine: this.engine, registry: this.registry, events: this.events, audit, config: config.recording, log: log.child({ mod: 'recording' }) });
    this.supervision.coachingFile = (call, tag, starting) => (this.recording.recording(call) ?? (starting ? undefined : this.recording.last.get(call)))?.coachingLink(tag, starting);
    this.commands = {
      supervision: this.supervision,
      config,
      registry: this.registry,
      pool: this.pool,
      signalling,
      log: log.child({ mod: 'ng' }),
      startedMs: Date.now(),
      commandCounts: new Map(),
      engine: this.engine,
      promptFiles,
    };
    // (issue 14) Replication to Redis, heartbeat, takeover; the daemon starts and serves without Redis (degraded).
    this.cluster =
      config.cluster.redis === ''
        ? undefined
        : new ClusterNode({
            config: config.cluster,
            httpUrl: () => `http://${config.http.listen.replace(/:\d+$/, '')}:${this.http.boundPortNumber}`,
            registry: this.registry,
            supervision: this.supervision,
            events: this.events,
            audit,
            log: log.child({ mod: 'cluster' }),
            snapshot: (call) => snapshotCall(call, { recording: this.recording.recording(call) !== undefined }),
            // re-snapshotted periodically: calls with a mixer (stream anchors) every second, SDES calls every minute (ROC)
            refreshDue: (call) => wantsRefresh(call, this.engine.mixer(call) !== undefined),
          });
    const dispatcher = createDispatcher(this.commands, recordingCommands(this.recording, { offer: offerCommand, answer: answerCommand, query: queryCommand }));
    const ngAddr = splitHostPort(config.ng.listen);
    this.ng = new NgServer({
      host: ngAddr.host,
      port: ngAddr.port,
      cookieCacheSeconds: config.ng.cookieCacheSeconds,
      cookieCacheBytes: config.ng.cookieCacheBytes,
      retransmitWindowSeconds: config.ng.retransmitWindowSeconds,
      maxDatagramBytes: config.ng.maxDatagramBytes,
      handler: this.cluster ? replicatingHandler(dispatcher, this.cluster) : dispatcher,
      logger: log,
      onCommand: (command, result, seconds) => this.metrics.observeCommand(command, result, seconds),
    });
    this.metrics = new Metrics({ registry: this.registry, pool: this.pool, ngStats: () => this.ng.stats });
    registerBleedMetrics(this.metrics.registry, this.bleed);
    // Registered always (0 without a cluster): dashboards and alerts see the same series on every node.
    const clusterMetrics = new ClusterMetrics(this.metrics.registry, () => takeoverCounters);
    this.cluster?.attachMetrics(clusterMetrics);
    // (issue 14) Takeover: the dead node's calls are rebuilt here on its ports (src/cluster/restore.ts).
    this.cluster?.onTakeover(async (fromNode, records) => {
      const results = await takeOver(
        { registry: this.registry, signalling, engine: this.engine, audit, log: log.child({ mod: 'takeover' }), nodeId: config.cluster.node, recording: this.recording },
        records.map((r) => r.snapshot),
        { fromNode },
      );
      log.warn({ fromNode, calls: results.length, failed: results.filter((r) => !r.ok).length, ms: results.reduce((m, r) => Math.max(m, r.ms), 0) }, 'takeover: calls restored');
    });
    const httpAddr = splitHostPort(config.http.listen);
    this.http = new HttpServer(httpAddr.host, httpAddr.port, config.http.token, log.child({ mod: 'http' }), {
      allowedOrigins: config.http.allowedOrigins,
      allowedHosts: config.http.allowedHosts,
    });
    this.http.route('GET', '/healthz', () => ({ status: 'ok', calls: this.registry.size }), false);
    registerReadyz(this.http, {
      // (issue 14) The cluster node's role when clustered (a standby that took over is active); without one, the config.
      isStandby: () => (this.cluster !== undefined ? this.cluster.isStandby() : config.cluster.standby),
      isDraining: () => this.draining,
      limitsReached: () => this.limitsReached(),
      portsFree: () => this.pool.free,
    });
    this.http.route('GET', '/metrics', async ({ res }) => {
      const text = await this.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
      res.end(text);
      return undefined;
    });
    const api = { registry: this.registry, supervision: this.supervision, engine: this.engine, audit, events: this.events };
    registerApi(this.cluster ? clusterAwareHttp(this.http, this.cluster, this.registry) : this.http, { ...api, promptFiles });
    if (!this.cluster) registerClusterRoutes(this.http, undefined, config.cluster.node);
    registerSupervisionMetrics(this.metrics.registry, api);
    registerDtlsMetrics(this.metrics.registry);
    registerRecordingMetrics(this.metrics.registry, this.recording);
    registerLimitMetrics(this.metrics.registry, { monitor: this.load, limitsReached: () => this.limitsReached() });
    this.load.start();
    // (issue 12) The process DTLS certificate, made now and replaced at half-life (config dtls.*).
    try {
      this.stopDtls = startDtls(config.dtls, log.child({ mod: 'dtls' }));
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'DTLS unavailable: no DTLS-SRTP legs');
    }
  }

  /** Build and start a daemon. Rejects (and cleans up) if a socket cannot be bound. */
  static async start(config: Config, log: Logger): Promise<Daemon> {
    const audit = await AuditLog.open(config.audit);
    let d: Daemon;
    try {
      d = new Daemon(config, log, audit);
    } catch (err) {
      await audit.close();
      throw err;
    }
    try {
      await d.ng.start();
      await d.http.start();
      d.cluster?.start();
    } catch (err) {
      await d.close();
      throw err;
    }
    log.info({ ng: config.ng.listen, http: config.http.listen, ports: `${config.media.portMin}-${config.media.portMax}` }, 'whisperd started');
    return d;
  }

  /** (issue 14) Every limit refusing new calls now: 'sessions' (limits.maxSessions reached), then the LoadMonitor's. */
  limitsReached(): string[] {
    return (this.registry.atSessionLimit ? ['sessions'] : []).concat(this.load.reachedLimits());
  }

  /** (issue 14) Stop being ready (/readyz 503 "draining") so load balancers send no new work; close() begins with it. */
  beginDrain(): void {
    this.draining = true;
  }

  /** Stop everything: calls, sockets, timers. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.beginDrain();
    this.load.stop();
    this.registry.close();
    // The calls' recordings end with them: files complete and closed, metadata written (before the audit log closes).
    await this.recording.close();
    // (issue 14) Orderly: the calls ended above; their records, the heartbeat and membership leave Redis (no takeover).
    await this.cluster?.close();
    this.engine.close();
    this.pool.close();
    // Every endpoint of this daemon is closed: join the media threads (kept while another daemon in
    // this process still relays on them).
    stopMediaThreads();
    this.stopDtls();
    await this.ng.close();
    await this.http.close();
    await this.audit.close();
  }
}
