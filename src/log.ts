/**
 * Structured JSON logging (pino). One root logger; modules take a child with `logger.child({ mod })`.
 * Secrets are redacted by path. The media path never logs per packet: it counts, and at most
 * `rateLimited(key)` lets one line per key through every 15 s (rtpengine's LOG_FLAG_LIMIT idea).
 */
import pino from 'pino';

export type Logger = pino.Logger;

export let logger: Logger = pino({
  level: process.env.WHISPERD_LOG_LEVEL ?? 'info',
  base: { svc: 'whisperd' },
  redact: { paths: ['token', '*.token', 'config.http.token', 'authorization', '*.authorization'], censor: '[redacted]' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

/** Replace the root logger (start-up, once the configuration is known; tests silence it). */
export function setLogLevel(level: string): void {
  logger.level = level;
}

export function setLogger(l: Logger): void {
  logger = l;
}

const lastLogged = new Map<string, number>();
const RATE_LIMIT_MS = 15_000;

/** True at most once per key per 15 s. Use around warnings that peers can trigger repeatedly. */
export function rateLimited(key: string, nowMs: number = Date.now()): boolean {
  const last = lastLogged.get(key);
  if (last !== undefined && nowMs - last < RATE_LIMIT_MS) return false;
  lastLogged.set(key, nowMs);
  if (lastLogged.size > 10_000) lastLogged.clear();
  return true;
}

/** Log what a peer can repeat at will: at info at most once per `key` per 15 s, otherwise at debug. */
export function infoRateLimited(log: Logger | undefined, key: string, fields: object, msg: string): void {
  if (rateLimited(key)) log?.info(fields, msg);
  else log?.debug(fields, msg);
}
