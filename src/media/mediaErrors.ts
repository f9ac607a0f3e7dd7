/**
 * Errors on the media path: a packet handler or a mix clock tick that threw (a bug, or input no check
 * foresaw). The packet or frame is dropped and counted (drop reason `internal_error`); the error is
 * logged with its stack at most once per 15 s per kind (log.ts `rateLimited`), with the number of
 * errors since the last line, so a peer that triggers it on every packet cannot flood the log or the CPU.
 */
import { logger, rateLimited } from '../log';
import { DropReason, mediaCounters } from './counters';

export type MediaErrorKind = 'rtp' | 'rtcp' | 'mix-tick';

const since: Record<MediaErrorKind, number> = { rtp: 0, rtcp: 0, 'mix-tick': 0 };

/** Count one media-path error of `kind` and log it rate-limited. Never throws. */
export function mediaError(kind: MediaErrorKind, err: unknown): void {
  mediaCounters.rawDrops[DropReason.INTERNAL]++;
  since[kind]++;
  if (!rateLimited(`media:${kind}`)) return;
  const count = since[kind];
  since[kind] = 0;
  try {
    logger.error({ mod: 'media', kind, err, count }, `media path error (${kind}); dropped and counted, logged at most every 15 s`);
  } catch {
    // a logger that throws must not take the media path down
  }
}
