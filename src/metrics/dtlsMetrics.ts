/**
 * DTLS metrics (issue #12), read from src/media/dtls/counters.ts at scrape time.
 *   whisperd_dtls_handshakes_total{result=ok|failed|timeout|refused}
 *   whisperd_dtls_datagrams_dropped_total{reason=malformed|foreign|closed|refused}
 */
import { Counter, type Registry } from 'prom-client';
import { dtlsCounters } from '../media/dtls/counters';

export function registerDtlsMetrics(r: Registry): void {
  new Counter({
    name: 'whisperd_dtls_handshakes_total',
    help: 'DTLS-SRTP handshakes by result: ok (keys exported), failed (SSL error, fingerprint mismatch), timeout (dtls.handshakeTimeout), refused (ClientHello over dtls.handshakesPerSecondPerSource)',
    labelNames: ['result'],
    registers: [r],
    collect() {
      this.reset();
      for (const [result, n] of Object.entries(dtlsCounters.handshakes)) this.inc({ result }, n);
    },
  });
  new Counter({
    name: 'whisperd_dtls_datagrams_dropped_total',
    help: 'DTLS datagrams not given to OpenSSL: malformed (garbage, truncated record), foreign (not from the session peer), closed (session ended), refused (rate limit)',
    labelNames: ['reason'],
    registers: [r],
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(dtlsCounters.dropped)) this.inc({ reason }, n);
    },
  });
}
