/**
 * The configuration schema: every key, its type, range, default and unit. This file is the single
 * source of truth for the config file (YAML), the WHISPERD_* environment variables and the
 * `--section.key` command-line options; README's configuration reference mirrors it.
 * Unknown keys are errors (`.strict()`): a typo stops start-up with the key named.
 */
import os from 'node:os';
import { isIP } from 'node:net';
import { MAX_MEDIA_ADDRESSES, systemAddresses } from '../media/interfaces';
import { z } from 'zod';
import { auditSchema } from '../supervision/auditSchema';
import { policySchema } from '../supervision/policySchema';

const hostPort = z
  .string()
  .regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]|localhost):\d{1,5}$/, 'expected IP:PORT, e.g. 127.0.0.1:22222');
/** An IPv4 or IPv6 literal (media addresses; IPv6 in RFC 4291 text, e.g. 2001:db8::1). */
const ipAddress = z.string().refine((v) => isIP(v) !== 0, 'expected an IPv4 or IPv6 address');
/**
 * An interface entry's address: an IP literal, a network interface of this host with an address (e.g.
 * eth0: all its addresses), or `any` (every non-loopback address) — resolved at start, as rtpengine does.
 */
const interfaceAddress = z
  .string()
  .refine((v) => isIP(v) !== 0 || systemAddresses(v).length > 0, "expected an IPv4 or IPv6 address, a network interface of this host with an address (e.g. eth0), or 'any'");
/** A logical interface name (rtpengine `interface = NAME/...`, ng `direction`). */
const interfaceName = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected an interface name (letters, digits, _ . : -)');
/**
 * One media address of a logical interface: `{name, address, advertisedAddress}`, or rtpengine's own
 * spelling as a string, `[NAME/]ADDRESS[!ADVERTISED]` (e.g. "external/203.0.113.5!198.51.100.5"; no name =
 * "default"). The advertised address must be of the address's family.
 */
const interfaceEntry = z
  .union([
    z.string(),
    z
      .object({
        /** Logical interface name (ng `direction`); entries with one name form one interface. */
        name: z.string().default('default'),
        /** Address the sockets bind to (IPv4 or IPv6). */
        address: z.string(),
        /** Address written into SDP; empty = `address`. */
        advertisedAddress: z.string().default(''),
      })
      .strict(),
  ])
  .transform((e, ctx) => {
    if (typeof e !== 'string') return e;
    const m = /^(?:([^/!]+)\/)?([^/!]+)(?:!([^/!]+))?$/.exec(e.trim());
    if (m === null) {
      ctx.addIssue({ code: 'custom', message: `expected [NAME/]ADDRESS[!ADVERTISED], got "${e}"` });
      return z.NEVER;
    }
    return { name: m[1] ?? 'default', address: m[2]!, advertisedAddress: m[3] ?? '' };
  })
  .pipe(
    z
      .object({ name: interfaceName, address: interfaceAddress, advertisedAddress: z.union([ipAddress, z.literal('')]) })
      .superRefine((e, ctx) => {
        if (e.advertisedAddress !== '' && isIP(e.address) !== 0 && isIP(e.advertisedAddress) !== isIP(e.address))
          ctx.addIssue({ code: 'custom', path: ['advertisedAddress'], message: 'must be of the same address family as address' });
      }),
  );
const port = z.number().int().min(1).max(65535);
const seconds = z.number().min(0);

export const configSchema = z
  .object({
    ng: z
      .object({
        /** UDP address:port of the ng control protocol (rtpengine's listen-ng). */
        listen: hostPort.default('127.0.0.1:22222'),
        /** How long replies are kept for retransmitted cookies, seconds (rtpengine keeps 30-60 s). */
        cookieCacheSeconds: z.number().int().min(30).max(600).default(60),
        /** Memory budget of the reply cache (cookies + replies + per-entry overhead + commands in flight), bytes. */
        cookieCacheBytes: z.number().int().min(1024 * 1024).max(4 * 1024 * 1024 * 1024).default(64 * 1024 * 1024),
        /** Cached replies younger than this are never evicted; a full cache refuses new commands instead, seconds. */
        retransmitWindowSeconds: z.number().int().min(1).max(600).default(10),
        /** Largest ng datagram accepted, bytes. */
        maxDatagramBytes: z.number().int().min(1024).max(65535).default(65535),
      })
      .strict()
      .prefault({}),
    http: z
      .object({
        /** HTTP address:port for /metrics, /healthz and the JSON API. */
        listen: hostPort.default('127.0.0.1:9900'),
        /** Bearer token for the API. Required when `listen` is not a loopback address. */
        token: z.string().default(''),
        /** Browser origins allowed to call the API besides the server's own, e.g. "https://console.example.com". */
        allowedOrigins: z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'expected an origin, e.g. https://console.example.com')).default([]),
        /** Host header names accepted on a loopback listen address besides loopback addresses and localhost. */
        allowedHosts: z.array(z.string().regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/, 'expected a host name')).default([]),
      })
      .strict()
      .prefault({}),
    media: z
      .object({
        /** Address RTP/RTCP sockets bind to (the interface `default` when `interfaces` is empty). */
        address: ipAddress.default('127.0.0.1'),
        /** Address written into SDP (c=); empty = `address`. */
        advertisedAddress: z.union([ipAddress, z.literal('')]).default(''),
        /**
         * Named logical interfaces (rtpengine `interface`), IPv4 and IPv6: a list of `[NAME/]ADDRESS[!ADVERTISED]`
         * strings or `{name, address, advertisedAddress}` objects; entries with one name are one interface.
         * A call picks them with ng `direction` / `address family`. Empty = one interface `default` from
         * `address` / `advertisedAddress`; when set, those two are not used.
         */
        interfaces: z
          .array(interfaceEntry)
          .max(8)
          .default([])
          .superRefine((list, ctx) => {
            const all = new Set(list.flatMap((e) => (isIP(e.address) !== 0 ? [e.address] : systemAddresses(e.address)).concat(e.advertisedAddress === '' ? [] : [e.advertisedAddress])));
            if (all.size > MAX_MEDIA_ADDRESSES) ctx.addIssue({ code: 'custom', message: `${all.size} media addresses (bound and advertised), at most ${MAX_MEDIA_ADDRESSES}` });
          }),
        /** Lowest port of the RTP/RTCP range (RTP even, RTCP = RTP + 1). */
        portMin: port.default(30000),
        /** Highest port of the range (inclusive). */
        portMax: port.default(39999),
        /** rtpengine's endpoint-learning: delayed (3 s), immediate, off, heuristic. */
        endpointLearning: z.enum(['delayed', 'immediate', 'off', 'heuristic']).default('immediate'),
        /** Relay pure two-party media in the native addon (recvmmsg/sendmmsg on Node's loop); JS otherwise. */
        nativeRelay: z.boolean().default(true),
        /**
         * Media threads of the native relay (each its own epoll loop; a relayed pair lives on one).
         * Default: the number of cores. 0 = relay on Node's event loop (the earlier design).
         */
        threads: z.number().int().min(0).max(256).default(() => os.availableParallelism()),
        /**
         * Engine of a call's mixer: 'native' (the mix on a media thread of the addon; used when the addon has
         * the mix functions, media threads run and every endpoint of the call can attach, else the call runs
         * on the reference engine) or 'reference' (the TypeScript engine on Node's thread).
         */
        engine: z.enum(['native', 'reference']).default('native'),
        /**
         * (M) Silence detection on transcoded streams (rtpengine `silence-detect`): percent of full scale; a
         * frame whose samples all stay within it is sent as comfort noise (`cnPayload`) to a participant
         * that negotiated CN while its peer did not. 0 = off.
         */
        silenceDetect: z.number().min(0).max(100).default(0),
        /** (M) The CN payload bytes (level in -dBov, then reflection coefficients) that replace a silent frame (rtpengine `cn-payload`). */
        cnPayload: z.array(z.number().int().min(0).max(255)).min(1).max(13).default([32]),
        /**
         * RTP/RTCP socket pairs kept bound ahead of demand, so an offer does not bind its sockets while the
         * proxy waits (0 = bind every pair when an offer needs it). Spares count as free ports.
         */
        sparePairs: z.number().int().min(0).max(64).default(4),
        /**
         * Scheduling policy of the media threads (rtpengine `scheduling`), applied by each thread to itself at
         * start: 'default' (leave what the process has), 'other', 'fifo', 'rr', 'batch', 'idle'. A policy the OS
         * refuses (EPERM without CAP_SYS_NICE / RLIMIT_RTPRIO) is logged once and the threads run as they are.
         */
        scheduling: z.enum(['default', 'other', 'fifo', 'rr', 'batch', 'idle']).default('default'),
        /**
         * Media threads' priority (rtpengine `priority`): with fifo/rr the static priority 1..99 (default 1); with
         * default/other/batch the nice value -20..19 (default: unchanged); not allowed with idle.
         */
        priority: z.number().int().min(-20).max(99).nullable().default(null),
      })
      .strict()
      .superRefine((m, ctx) => {
        if (m.advertisedAddress !== '' && isIP(m.advertisedAddress) !== isIP(m.address))
          ctx.addIssue({ code: 'custom', path: ['advertisedAddress'], message: 'must be of the same address family as media.address' });
        // With interfaces, address/advertisedAddress are not used: a changed one would be silently ignored.
        if (m.interfaces.length > 0 && (m.address !== '127.0.0.1' || m.advertisedAddress !== ''))
          ctx.addIssue({ code: 'custom', path: [m.address !== '127.0.0.1' ? 'address' : 'advertisedAddress'], message: 'not used when media.interfaces is set: give that address as an entry of media.interfaces' });
        if (m.priority === null) return;
        const rt = m.scheduling === 'fifo' || m.scheduling === 'rr';
        if (m.scheduling === 'idle' || (rt ? m.priority < 1 : m.priority > 19))
          ctx.addIssue({
            code: 'custom',
            path: ['priority'],
            message: rt ? 'with fifo/rr, priority is a static priority 1..99' : m.scheduling === 'idle' ? 'idle takes no priority' : 'with default/other/batch, priority is a nice value -20..19',
          });
      })
      .prefault({}),
    timeouts: z
      .object({
        /** A call with no media for this long is deleted, seconds (rtpengine `timeout`). */
        media: seconds.default(60),
        /** An offer never answered is deleted after this long, seconds (rtpengine `offer-timeout`). */
        offer: seconds.default(3600),
        /** Maximum call lifetime, seconds; 0 = unlimited (rtpengine `final-timeout`). */
        final: seconds.default(0),
        /** Default `delete delay`: a deleted call keeps its ports this long, seconds. */
        deleteDelay: seconds.default(30),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        /** Maximum concurrent calls; 0 = unlimited. Over it: "Parallel session limit reached" / load limit. */
        maxSessions: z.number().int().min(0).default(0),
        /** Most m= lines one SDP (offer, answer, supervisor offer) may carry; more: "Too many media lines in SDP". */
        maxMediaPerOffer: z.number().int().min(1).max(256).default(16),
        /** Refuse new calls while the 1-minute load average is above this (rtpengine `max-load`); 0 = off. */
        maxLoad: z.number().min(0).max(10000).default(0),
        /** Refuse new calls while this process's CPU use is above this percentage of the machine (rtpengine `max-cpu`); 0 = off. */
        maxCpu: z.number().min(0).max(100).default(0),
        /** Refuse new calls while media traffic (in + out) is above this, bytes per second (rtpengine `max-bandwidth`); 0 = off. */
        maxBandwidth: z.number().int().min(0).default(0),
      })
      .strict()
      .prefault({}),
    codecs: z
      .object({
        /** Opus encoder complexity 0-10 (server-side encodes are the main CPU cost; 10 costs ~4x 0). */
        opusComplexity: z.number().int().min(0).max(10).default(5),
        /** Opus encoder bitrate, bits/s. */
        opusBitrate: z.number().int().min(6000).max(128000).default(24000),
      })
      .strict()
      .prefault({}),
    supervision: z
      .object({
        /** DTMF keys (RFC 4733 on the supervisor's leg) -> action: listen, whisper, barge, leave. */
        supervisorKeys: z.record(z.string(), z.string()).default({ '4': 'listen', '5': 'whisper', '6': 'barge' }),
        /** DTMF keys on the agent's leg during a whisper page -> action (mute-toggle). */
        agentKeys: z.record(z.string(), z.string()).default({ '#': 'mute-toggle' }),
        /** Play the connect tone to initiator and agent when a whisper page starts. */
        pageTone: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    bleed: z
      .object({
        /** Measure whisper bleed into the customer's audio while a whisper or page is active. */
        enabled: z.boolean().default(true),
        /** Tear the whisper down when the bleed stays above this level relative to the whisper, dB. */
        thresholdDb: z.number().min(-60).max(0).default(-25),
        /** What the failsafe does: revert the session to listen, or remove the supervisor. */
        action: z.enum(['listen', 'remove']).default('listen'),
        /** Longest acoustic path searched, ms. */
        maxDelayMs: z.number().int().min(20).max(1000).default(500),
        /**
         * Echo canceller (speexdsp MDF) on the agent -> customer path of a whisper/page session, with the whisper
         * as the reference: what leaks back through the agent's headset is removed before the customer hears it
         * (the bleed monitor then measures what is left). Per session: HTTP `aec` on POST/PATCH
         * /v1/calls/:id/supervisors, ng `aec`; these are the defaults.
         */
        echoCanceller: z
          .object({
            /** Sessions get the canceller unless their command says otherwise. */
            enabled: z.boolean().default(false),
            /** Filter length, ms: must cover the leak path (the agent phone's jitter buffer included) plus its reverberation. 500: paths up to ~300 ms with 200 ms of tail (bench/aec.bench.ts: a 300 ms path got 1.8 dB ERLE with 300, 16 dB with 600). */
            tailMs: z.number().int().min(20).max(1000).default(500),
            /** Add speexdsp's preprocessor residual echo suppression (and its noise suppression) after the canceller (its cut while the agent talks limited to 1 dB: native/src/mix/aec.h kAecSuppressActiveDb). */
            residualSuppression: z.boolean().default(false),
            /**
             * The bleed monitor measures what is left after the canceller; while a new canceller converges (this long of
             * supervisor speech, ms) an acoustic alarm is held; after it, or once the canceller is off, it trips as always.
             */
            convergenceMs: z.number().int().min(0).max(10000).default(3000),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    prompts: z
      .object({
        /** Directory prompt files (`play media` `file`, HTTP `{file}`) are read from; '' = file prompts disabled. */
        dir: z.string().default(''),
        /** Largest prompt file, bytes (checked before reading). */
        maxFileBytes: z.number().int().min(1024).max(50 * 1024 * 1024).default(10 * 1024 * 1024),
        /** Longest a prompt-file lookup (resolve, open, read) may take, ms. */
        readTimeoutMs: z.number().int().min(10).max(60000).default(2000),
        /** Prompts from text (HTTP `{text}`, ng `play media` `text`): synthesized by a child process (src/prompts/tts.ts). */
        tts: z
          .object({
            /** Accept text prompts. Start-up does not need the synthesizer: a request without it fails ("Speech synthesizer not available"). */
            enabled: z.boolean().default(true),
            /** The synthesizer executable (espeak-ng command line: --stdout --stdin -b 1 -v <voice> -s <rate>); a name is looked up in PATH, never run through a shell. */
            command: z.string().min(1).max(4096).default('espeak-ng'),
            /** Longest text, characters (Unicode code points). */
            maxChars: z.number().int().min(1).max(10000).default(500),
            /** Text prompts per call in any 60 s window (counted when synthesis succeeds). */
            perCallPerMinute: z.number().int().min(1).max(10000).default(10),
            /** Synthesis processes running at once in this daemon; more are refused ("Speech synthesizer busy"). */
            maxConcurrent: z.number().int().min(1).max(64).default(2),
            /** Longest a synthesis may take, ms (the child is killed). */
            timeoutMs: z.number().int().min(100).max(60000).default(5000),
            /** Largest synthesizer output (WAV), bytes. */
            maxOutputBytes: z.number().int().min(65536).max(50 * 1024 * 1024).default(8 * 1024 * 1024),
            /** Voice when the request names none. */
            defaultVoice: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}(\+[A-Za-z0-9_]{1,16})?$/, 'expected a voice name like en-us or en+f3').default('en-us'),
            /** Speaking rate when the request names none, words per minute (80..450). */
            defaultRate: z.number().int().min(80).max(450).default(175),
            /** Voices a request may name; empty = any name of the voice pattern the synthesizer knows. */
            voices: z.array(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}(\+[A-Za-z0-9_]{1,16})?$/, 'expected a voice name like en-us or en+f3')).max(1000).default([]),
            /** Write the text itself into the audit record (the SHA-256 of the text is always written). */
            auditText: z.boolean().default(false),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    dtls: z
      .object({
        /** Validity of the process DTLS certificate, seconds (rtpengine: 30 days); a new one is made at half-life. */
        certificateLifetime: z.number().int().min(60).max(10 * 365 * 86400).default(30 * 86400),
        /** Key of the certificate (rtpengine `dtls-cert-cipher`): EC P-256 or RSA 2048. */
        cipher: z.enum(['prime256v1', 'rsa2048']).default('prime256v1'),
        /** Largest DTLS datagram whisperd sends, bytes (rtpengine `dtls-mtu`). */
        mtu: z.number().int().min(256).max(16384).default(1200),
        /** A DTLS handshake not complete this long after it started fails, seconds. */
        handshakeTimeout: z.number().min(0.1).max(600).default(30),
        /** DTLS ClientHellos per second admitted from one source address (burst twice that); the rest are dropped. */
        handshakesPerSecondPerSource: z.number().min(0.1).max(100000).default(50),
      })
      .strict()
      .prefault({}),
    recording: z
      .object({
        /**
         * Directory call recordings are written to ('' = recording off: `record call` and `start recording`
         * are answered ok with a warning, nothing is recorded). Files: `<call-id>-<stamp>.wav` (stereo: customer
         * left, agent right, as each party sent it, before any mixing), `<call-id>-<stamp>.json` (metadata), and
         * per supervision session `<call-id>-<stamp>-coaching-<supervisor tag>-<k>.wav` (supervisor left, what
         * the agent heard right). <stamp>: UTC start time; call-id and tags made file-name safe.
         */
        dir: z.string().default(''),
        /** On a call without a supervision session, which party is the customer (left channel): the offerer (from-tag) or the answerer. */
        customerIs: z.enum(['offerer', 'answerer']).default('offerer'),
        /** File format: 'wav' (16-bit PCM at the mix rate) or 'ogg-opus' (stereo Opus in Ogg, RFC 7845, files *.opus). */
        format: z.enum(['wav', 'ogg-opus']).default('wav'),
        /** Opus bitrate of 'ogg-opus' files, bit/s (both channels). */
        opusBitrate: z.number().int().min(6000).max(256000).default(32000),
        /** Record a separate coaching file for each supervision session of a recorded call. */
        coaching: z.boolean().default(true),
        /** Audio held per channel before it is written (reordering/jitter margin), ms. */
        holdMs: z.number().int().min(40).max(2000).default(300),
        /** Audio queued for the disk per file before the recording is stopped as "disk too slow", bytes. */
        maxQueuedBytes: z.number().int().min(16384).max(1 << 30).default(4 * 1024 * 1024),
        /** File mode of recordings and metadata (octal number, e.g. 0o640). */
        fileMode: z.number().int().min(0).max(0o777).default(0o640),
      })
      .strict()
      .prefault({}),
    cluster: z
      .object({
        /** Redis holding the cluster's call state, heartbeats and audit order: redis://[user:password@]host:port[/db]; empty = no cluster. */
        redis: z.union([z.literal(''), z.string().regex(/^rediss?:\/\/[^\s]+$/, 'expected a redis:// URL, e.g. redis://127.0.0.1:6379/0')]).default(''),
        /** This node's id, unique in the cluster (audit records carry it). */
        node: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected a node id (letters, digits, _ . -)').default(() => os.hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64) || 'whisperd'),
        /** true: restore the active node's calls idle and take them over when its heartbeat expires; false: active. */
        standby: z.boolean().default(false),
        /** How often a node renews its heartbeat in Redis, ms. */
        heartbeatMs: z.number().int().min(50).max(10000).default(500),
        /** A heartbeat not renewed for this long has expired: a standby takes the node's calls over, ms. */
        heartbeatExpiryMs: z.number().int().min(200).max(60000).default(2000),
        /** Longest a signalling change waits for its Redis write before the reply goes out anyway (replication degraded), ms. */
        writeTimeoutMs: z.number().int().min(1).max(10000).default(200),
        /** Prefix of every key whisperd writes in Redis (several clusters may share one Redis). */
        keyPrefix: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected a key prefix (letters, digits, _ . : -)').default('whisperd'),
        /** This node's HTTP API as the other nodes reach it (forwarded supervision requests), e.g. http://10.0.0.5:8080; empty = http://<http.listen>. */
        apiUrl: z.union([z.literal(''), z.string().regex(/^https?:\/\/[^\s/]+$/, 'expected http://HOST:PORT')]).default(''),
      })
      .strict()
      .prefault({}),
    shutdown: z
      .object({
        /** Longest an orderly shutdown (SIGTERM/SIGINT) may take, seconds; past it the process is ended (SIGKILL to itself). */
        timeoutSeconds: z.number().min(0.1).max(600).default(5),
      })
      .strict()
      .prefault({}),
    policy: policySchema,
    audit: auditSchema,
    log: z
      .object({
        /** pino level: fatal, error, warn, info, debug, trace, silent. */
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
