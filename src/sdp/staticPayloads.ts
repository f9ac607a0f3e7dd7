/**
 * RTP static payload types (RFC 3551 §6, Tables 4 and 5) — what a PT below 96 means when the SDP has no
 * a=rtpmap for it. G722 is listed with clock rate 8000 as RFC 3551 §4.5.2 requires, although it samples at
 * 16 kHz. Reserved/unassigned PTs (1, 2, 19, 20-24, 27, 29, 30, 35-95) have no entry.
 */

export interface StaticPayload {
  encoding: string;
  clockRate: number;
  channels: number;
}

const TABLE: ReadonlyMap<number, StaticPayload> = new Map<number, StaticPayload>([
  [0, { encoding: 'PCMU', clockRate: 8000, channels: 1 }],
  [3, { encoding: 'GSM', clockRate: 8000, channels: 1 }],
  [4, { encoding: 'G723', clockRate: 8000, channels: 1 }],
  [5, { encoding: 'DVI4', clockRate: 8000, channels: 1 }],
  [6, { encoding: 'DVI4', clockRate: 16000, channels: 1 }],
  [7, { encoding: 'LPC', clockRate: 8000, channels: 1 }],
  [8, { encoding: 'PCMA', clockRate: 8000, channels: 1 }],
  [9, { encoding: 'G722', clockRate: 8000, channels: 1 }],
  [10, { encoding: 'L16', clockRate: 44100, channels: 2 }],
  [11, { encoding: 'L16', clockRate: 44100, channels: 1 }],
  [12, { encoding: 'QCELP', clockRate: 8000, channels: 1 }],
  [13, { encoding: 'CN', clockRate: 8000, channels: 1 }],
  [14, { encoding: 'MPA', clockRate: 90000, channels: 1 }],
  [15, { encoding: 'G728', clockRate: 8000, channels: 1 }],
  [16, { encoding: 'DVI4', clockRate: 11025, channels: 1 }],
  [17, { encoding: 'DVI4', clockRate: 22050, channels: 1 }],
  [18, { encoding: 'G729', clockRate: 8000, channels: 1 }],
  [25, { encoding: 'CelB', clockRate: 90000, channels: 1 }],
  [26, { encoding: 'JPEG', clockRate: 90000, channels: 1 }],
  [28, { encoding: 'nv', clockRate: 90000, channels: 1 }],
  [31, { encoding: 'H261', clockRate: 90000, channels: 1 }],
  [32, { encoding: 'MPV', clockRate: 90000, channels: 1 }],
  [33, { encoding: 'MP2T', clockRate: 90000, channels: 1 }],
  [34, { encoding: 'H263', clockRate: 90000, channels: 1 }],
]);

/** The RFC 3551 meaning of a static PT, or undefined for dynamic/unassigned PTs. */
export function staticPayload(pt: number): StaticPayload | undefined {
  return TABLE.get(pt);
}

/** The static PT registered for an encoding at a clock rate/channel count (case-insensitive name), if any. */
export function staticPtFor(encoding: string, clockRate: number, channels: number): number | undefined {
  const name = encoding.toLowerCase();
  for (const [pt, p] of TABLE) {
    if (p.encoding.toLowerCase() === name && p.clockRate === clockRate && p.channels === channels) return pt;
  }
  return undefined;
}
