/**
 * Direction helpers (RFC 3264 §5.1, §6.1; RFC 6337 §5.3 for hold) used by the call layer.
 */
import type { Direction, MediaSummary } from './types';

/**
 * The direction an answerer writes for an offered direction (RFC 3264 §6.1): sendonly ↔ recvonly,
 * inactive and sendrecv stay as they are.
 */
export function complementDirection(offered: Direction): Direction {
  switch (offered) {
    case 'sendonly':
      return 'recvonly';
    case 'recvonly':
      return 'sendonly';
    default:
      return offered;
  }
}

/** True for an unspecified address (0.0.0.0 or ::), the pre-RFC 3264 way of signalling hold. */
export function isZeroAddress(address: string | null): boolean {
  return address === '0.0.0.0' || address === '::';
}

/**
 * True when the party that wrote this media description puts the stream on hold: it does not want to
 * receive (a=sendonly or a=inactive, RFC 6337 §5.3) or it uses the legacy c=0.0.0.0 (RFC 2543 style).
 * With ICE a zero address is only the "no default candidate" placeholder (RFC 8839 §4.1.1), not hold.
 */
export function isOnHold(media: MediaSummary): boolean {
  if (media.direction === 'sendonly' || media.direction === 'inactive') return true;
  return isZeroAddress(media.connectionAddress) && !media.hasIce;
}
