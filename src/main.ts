#!/usr/bin/env node
/**
 * Process entry: load and validate the configuration (file <- env <- argv), start the daemon, stop it
 * cleanly on SIGINT/SIGTERM. A configuration error exits with code 78 (EX_CONFIG) naming the key.
 */
import { loadConfig, HELP_TEXT } from './config/load';
import { Daemon } from './Daemon';
import { ConfigError } from './errors';
import { logger, setLogLevel } from './log';

const EX_CONFIG = 78;

async function main(): Promise<void> {
  let loaded;
  try {
    loaded = loadConfig({ argv: process.argv.slice(2), env: process.env });
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
  setLogLevel(loaded.config.log.level);
  let daemon: Daemon;
  try {
    daemon = await Daemon.start(loaded.config, logger);
  } catch (err) {
    logger.fatal({ err }, 'start-up failed');
    process.exit(err instanceof ConfigError ? EX_CONFIG : 1);
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    daemon.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

// A bug must not end every live call: log it loudly and keep serving (sockets own their own handlers).
process.on('uncaughtException', (err) => {
  logger.error({ err }, 'uncaught exception (bug): continuing');
});
process.on('unhandledRejection', (err) => {
  logger.error({ err }, 'unhandled rejection (bug): continuing');
});

void main();
