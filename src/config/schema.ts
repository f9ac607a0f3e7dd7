/**
 * The configuration schema: every key, its type, range, default and unit. This file is the single
 * source of truth for the config file (YAML), the WHISPERD_* environment variables and the
 * `--section.key` command-line options; README's configuration reference mirrors it.
 * Unknown keys are errors (`.strict()`): a typo stops start-up with the key named.
 */
import { z } from 'zod';

const hostPort = z
  .string()
  .regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]|localhost):\d{1,5}$/, 'expected IP:PORT, e.g. 127.0.0.1:22222');
const ipv4 = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'expected an IPv4 address');
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
      })
      .strict()
      .prefault({}),
    media: z
      .object({
        /** Address RTP/RTCP sockets bind to. */
        address: ipv4.default('127.0.0.1'),
        /** Address written into SDP (c=); empty = `address`. */
        advertisedAddress: z.union([ipv4, z.literal('')]).default(''),
        /** Lowest port of the RTP/RTCP range (RTP even, RTCP = RTP + 1). */
        portMin: port.default(30000),
        /** Highest port of the range (inclusive). */
        portMax: port.default(39999),
        /** rtpengine's endpoint-learning: delayed (3 s), immediate, off, heuristic. */
        endpointLearning: z.enum(['delayed', 'immediate', 'off', 'heuristic']).default('immediate'),
      })
      .strict()
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
      })
      .strict()
      .prefault({}),
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
