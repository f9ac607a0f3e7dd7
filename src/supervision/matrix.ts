/**
 * Where the matrix is decided: what each participant hears, from the call's parties and the
 * supervision sessions' modes. Pure; the media engine asks for it at signalling time.
 *
 *   parties C (customer) and A (agent) hear each other, except A -> C while a page is muted;
 *   listen   S hears C and A; nobody hears S;
 *   whisper  A hears S; S hears C and A; C never hears S;
 *   barge    everyone hears S; S hears everyone;
 *   page     A and S hear each other; C and S do not hear each other;
 * A session that is not committed yet contributes nothing from S (its mic stays closed), and a
 * failsafe teardown forces S -> A to 0. Listening gains (per listener and source) scale the result.
 */
import type { Call } from '../call/Call';
import type { Matrix } from '../call/MediaEngine';
import type { SessionView } from '../call/supervisionSession';

export type { SessionView } from '../call/supervisionSession';

export interface MatrixInput {
  /** The two offer/answer parties: [tag, peerTag] pairs. */
  parties: Array<{ tag: string; peerTag: string }>;
  sessions: SessionView[];
  /** listenGains.get(listener).get(source) = linear gain multiplier (default 1). */
  listenGains: Map<string, Map<string, number>>;
}

function set(m: Matrix, out: string, inp: string, g: number): void {
  let row = m.get(out);
  if (!row) {
    row = new Map();
    m.set(out, row);
  }
  row.set(inp, g);
}

/** The matrix of a call from what it owns: its parties, supervision sessions and listening gains. */
export function callMatrix(call: Call): Matrix {
  const parties: Array<{ tag: string; peerTag: string }> = [];
  for (const p of call.participants.values()) if (p.role === 'party') parties.push({ tag: p.tag, peerTag: p.peer?.tag ?? '' });
  return computeMatrix({ parties, sessions: [...call.sessions.values()], listenGains: call.listenGains });
}

export function computeMatrix(input: MatrixInput): Matrix {
  const m: Matrix = new Map();
  for (const p of input.parties) if (p.peerTag) set(m, p.tag, p.peerTag, 1);
  for (const s of input.sessions) {
    const open = s.committed ? 1 : 0;
    switch (s.mode) {
      case 'listen':
        set(m, s.tag, s.customerTag, 1);
        set(m, s.tag, s.agentTag, 1);
        break;
      case 'whisper':
        set(m, s.agentTag, s.tag, open);
        set(m, s.tag, s.customerTag, 1);
        set(m, s.tag, s.agentTag, 1);
        break;
      case 'barge':
        set(m, s.agentTag, s.tag, open);
        set(m, s.customerTag, s.tag, open);
        set(m, s.tag, s.customerTag, 1);
        set(m, s.tag, s.agentTag, 1);
        for (const other of input.sessions) {
          if (other === s) continue;
          set(m, other.tag, s.tag, open);
          set(m, s.tag, other.tag, 1);
        }
        break;
      case 'page':
        set(m, s.agentTag, s.tag, open);
        set(m, s.tag, s.agentTag, 1);
        set(m, s.tag, s.customerTag, 0);
        set(m, s.customerTag, s.tag, 0);
        if (s.muted) set(m, s.customerTag, s.agentTag, 0);
        break;
    }
  }
  for (const [listener, row] of input.listenGains) {
    const mrow = m.get(listener);
    if (!mrow) continue;
    for (const [source, g] of row) {
      const cur = mrow.get(source);
      if (cur !== undefined) mrow.set(source, cur * g);
    }
  }
  return m;
}
