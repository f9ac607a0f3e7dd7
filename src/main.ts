#!/usr/bin/env node
/**
 * Process entry: load and validate the configuration (file <- env <- argv), start the daemon, and
 * handle the process signals. A configuration error exits with code 78 (EX_CONFIG) naming the key.
 *
 *   SIGTERM, SIGINT  orderly shutdown (calls closed, supervisors' stop records written, sockets and
 *                    the audit log closed), exit 0. Bounded by shutdown.timeoutSeconds: past it the
 *                    process logs "shutdown deadline passed" and is ended by SIGKILL to itself (a
 *                    plain exit can hang too: Node joins libuv's file threads on exit, and a thread
 *                    stuck in a read or write on a hung filesystem or a full pipe never returns). A
 *                    second SIGTERM/SIGINT during shutdown ends it the same way at once.
 *   SIGHUP           reload: the configuration is read again (same file, environment and command
 *                    line) and log.level is applied; other changed keys are named in a warning and
 *                    take effect at the next restart. An invalid configuration is logged and ignored:
 *                    the daemon keeps running with what it has. Never a shutdown.
 */
import pino from 'pino';
import { loadConfig, HELP_TEXT, type LoadedConfig } from './config/load';
import type { Config } from './config/schema';
import { Daemon } from './Daemon';
import { ConfigError } from './errors';
import { logger, setLogLevel } from './log';

const EX_CONFIG = 78;

function load(): LoadedConfig {
  return loadConfig({ argv: process.argv.slice(2), env: process.env });
}

/** "section.key" of every leaf whose value differs between a and b (JSON comparison). */
function changedKeys(a: Config, b: Config): string[] {
  const out: string[] = [];
  for (const [section, values] of Object.entries(a) as Array<[string, Record<string, unknown>]>) {
    const other = (b as unknown as Record<string, Record<string, unknown>>)[section] ?? {};
    for (const key of new Set([...Object.keys(values), ...Object.keys(other)])) {
      if (JSON.stringify(values[key]) !== JSON.stringify(other[key])) out.push(`${section}.${key}`);
    }
  }
  return out;
}

/**
 * Log the last line and end the process now, whatever libuv's threads are doing (see the header).
 * The root logger writes asynchronously (on those very threads): the final line goes through a
 * synchronous logger of the same shape, after a best-effort synchronous flush of what is queued.
 */
function forceExit(fields: Record<string, unknown>, msg: string): never {
  try {
    (logger as unknown as Record<symbol, { flushSync?: () => void } | undefined>)[pino.symbols.streamSym]?.flushSync?.();
  } catch {
    // a write in flight or a closed stdout: the line below still goes out
  }
  try {
    pino({ base: { svc: 'whisperd' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 1, sync: true })).error(fields, msg);
  } catch {
    // stdout gone: exit anyway
  }
  process.kill(process.pid, 'SIGKILL');
  // not reached; keeps the type checker and a very unusual kernel honest
  process.exit(1);
}

/** The orderly shutdown: exit 0 once the daemon is closed, 1 if closing failed. */
function closeAndExit(daemon: Daemon): void {
  daemon.close().then(
    () => process.exit(0),
    (err) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
}

async function main(): Promise<void> {
  let loaded: LoadedConfig;
  try {
    loaded = load();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`whisperd: ${err.message}\n`);
      process.exit(EX_CONFIG);
    }
    throw err;
  }
  if (loaded.help) {
    process.stdout.write(`${HELP_TEXT()}\n`);
    return;
  }
  let config = loaded.config;
  setLogLevel(config.log.level);
  let daemon: Daemon | undefined;
  let stopping = false;

  // Registered before start-up so a signal during it is handled, not fatal by default.
  process.on('SIGHUP', () => {
    if (stopping) return;
    if (daemon === undefined) {
      logger.warn({ signal: 'SIGHUP' }, 'SIGHUP during start-up: ignored');
      return;
    }
    let next: Config;
    try {
      next = load().config;
    } catch (err) {
      logger.error({ signal: 'SIGHUP', err: (err as Error).message }, 'reload: configuration invalid, keeping the running one');
      return;
    }
    const changed = changedKeys(config, next);
    const restart = changed.filter((k) => k !== 'log.level');
    if (next.log.level !== config.log.level) setLogLevel(next.log.level);
    logger.info({ signal: 'SIGHUP', logLevel: next.log.level }, 'reload: configuration read, log.level applied');
    if (restart.length > 0) logger.warn({ keys: restart }, 'reload: these changed keys take effect at the next restart');
    config = { ...config, log: next.log };
  });

  const stop = (signal: string): void => {
    if (stopping) {
      forceExit({ signal }, 'second signal during shutdown: exiting now');
    }
    stopping = true;
    const timeoutS = config.shutdown.timeoutSeconds;
    logger.info({ signal, timeoutS }, 'shutting down');
    const deadline = setTimeout(() => {
      forceExit({ signal, timeoutS }, 'shutdown deadline passed: exiting without finishing shutdown');
    }, timeoutS * 1000);
    deadline.unref();
    if (daemon !== undefined) closeAndExit(daemon); // else start-up finishes or fails; then the process exits below
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  try {
    daemon = await Daemon.start(config, logger);
  } catch (err) {
    logger.fatal({ err }, 'start-up failed');
    process.exit(err instanceof ConfigError ? EX_CONFIG : 1);
  }
  if (stopping) closeAndExit(daemon); // a signal arrived while starting: finish the shutdown it asked for
}

// A bug must not end every live call: log it loudly and keep serving (sockets own their own handlers).
process.on('uncaughtException', (err) => {
  logger.error({ err }, 'uncaught exception (bug): continuing');
});
process.on('unhandledRejection', (err) => {
  logger.error({ err }, 'unhandled rejection (bug): continuing');
});

void main();
