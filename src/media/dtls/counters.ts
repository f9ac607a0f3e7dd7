/**
 * Process-wide DTLS counters: plain numbers bumped by DtlsSession (handshakes only, never per media
 * packet) and read by /metrics at scrape time (whisperd_dtls_handshakes_total,
 * whisperd_dtls_datagrams_dropped_total).
 */
export const dtlsCounters = {
  /** Handshakes by outcome: completed and verified, failed (SSL error, fingerprint mismatch), timed out. */
  handshakes: { ok: 0, failed: 0, timeout: 0, refused: 0 },
  /**
   * DTLS datagrams not given to OpenSSL: malformed (garbage, truncated record — RFC 6347 §4.1 record
   * layer check), foreign (not from the session's peer), closed (the session had ended), refused
   * (a ClientHello over the per-source handshake rate; also counted in handshakes.refused).
   */
  dropped: { malformed: 0, foreign: 0, closed: 0, refused: 0 },
};
