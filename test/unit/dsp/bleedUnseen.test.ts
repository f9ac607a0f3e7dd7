/**
 * Bleed detector on espeak-ng speech (issue 13): voices and languages the detector was first tuned
 * without (it was tuned on pocketsphinx-testdata; since then on bench/bleed/corpus.ts's tuning part, which
 * holds de+m3 too, and these cases were looked at while fixing drift, so this is a regression test, not
 * held-out evidence: bench/bleed-eval.bench.ts --part=heldout is). The supervisor says short words with
 * pauses (0.6-2.5 s), the agent talks continuously at the same active level (-24 dBFS), the leak is
 * -20 dB at 80 ms plus a reflection 7 ms later at -21 dB (two near-equal paths), optionally with the path
 * delay drifting, -60 dBFS mic noise, G.711 mu-law uplink. The audio is generated here (espeak-ng ->
 * 8 kHz by windowed sinc; seeded placement), deterministic for a given espeak-ng build.
 *
 * Asserts: the alarm within 2 s of supervisor speech (one seed 3 s; with drift 2-5 s, see the tests)
 * ("speech" = 20 ms reference frames louder than -45 dBFS, as in runScenario); no alarm and no detection
 * with no leak (double talk), no alarm with a -50 dB leak. Fails (does not skip) when espeak-ng is missing.
 */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import t from 'tap';
import { BleedDetector, type BleedDetectorOptions } from '../../../src/dsp/bleedDetector';
import { pcmu } from '../../fixtures/dsp/codecs';
import { Rng } from '../../fixtures/dsp/rng';

const ESPEAK = '/usr/bin/espeak-ng';
const RATE = 8000;
const SPEECH_FRAME_ENERGY = (32768 * Math.pow(10, -45 / 20)) ** 2;

const cache = new Map<string, Float64Array>();


function espeak(voice: string, text: string, speed = 165): Float64Array {
  const key = `${voice}|${speed}|${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const buf = execFileSync(ESPEAK, ['-v', voice, '-s', String(speed), '--stdout', text], { maxBuffer: 64 << 20 });
  let p = 12;
  let start = 44;
  let len = buf.length - 44;
  while (p + 8 <= buf.length) {
    const id = buf.toString('ascii', p, p + 4);
    const size = buf.readUInt32LE(p + 4);
    if (id === 'data') {
      start = p + 8;
      len = Math.min(size >>> 0, buf.length - start);
      break;
    }
    p += 8 + size;
  }
  const n = len >> 1;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = buf.readInt16LE(start + 2 * i);
  // trim silence
  let a = 0;
  let b = n;
  while (a < b && Math.abs(x[a]) < 100) a++;
  while (b > a && Math.abs(x[b - 1]) < 100) b--;
  const out = x.slice(a, b);
  cache.set(key, out);
  return out;
}

/** Windowed-sinc resampler 22050 -> rate. */
function resample(x: Float64Array, from: number, to: number): Float64Array {
  const n = Math.floor((x.length * to) / from);
  const out = new Float64Array(n);
  const fc = (0.45 * Math.min(from, to)) / from; // cutoff as fraction of input rate
  const half = 24;
  for (let i = 0; i < n; i++) {
    const t = (i * from) / to;
    const c = Math.floor(t);
    let acc = 0;
    for (let k = c - half + 1; k <= c + half; k++) {
      if (k < 0 || k >= x.length) continue;
      const m = t - k;
      const s = m === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * m) / (Math.PI * m);
      const w = 0.42 + 0.5 * Math.cos((Math.PI * m) / half) + 0.08 * Math.cos((2 * Math.PI * m) / half);
      acc += x[k] * s * w;
    }
    out[i] = acc;
  }
  return out;
}

function rms(x: Float64Array): number {
  let e = 0;
  for (const v of x) e += v * v;
  return Math.sqrt(e / Math.max(1, x.length));
}

const WORDS: Record<string, string[]> = {
  en: ['yes', 'no', 'hold on', 'transfer', 'check the account', 'okay', 'refund', 'escalate', 'stop', 'right', 'wait', 'good', 'ask his name', 'say sorry'],
  de: ['ja', 'nein', 'warte', 'Konto prüfen', 'weiter', 'genau', 'Rückerstattung', 'Moment bitte', 'gut', 'halt'],
  fr: ['oui', 'non', 'attends', 'vérifie le compte', "d'accord", 'rembourse', 'encore', 'bien', 'stop', 'demande son nom'],
  es: ['sí', 'no', 'espera', 'revisa la cuenta', 'vale', 'reembolso', 'bien', 'para', 'pregunta su nombre'],
  it: ['sì', 'no', 'aspetta', 'controlla il conto', 'va bene', 'rimborso', 'basta', 'chiedi il nome'],
  nl: ['ja', 'nee', 'wacht', 'controleer het account', 'goed', 'terugbetaling', 'stop', 'vraag zijn naam'],
};
const SENTENCES: Record<string, string[]> = {
  en: [
    'Thank you for calling, let me pull up your account and see what happened with the last payment.',
    'I understand, the invoice was sent on the third and the amount should have been taken on the tenth of the month.',
    'Could you confirm the address on file for me, including the postal code, so that I can verify your identity?',
    'There is a small fee for changing the plan before the end of the contract, but I can waive it this time.',
  ],
  es: [
    'Gracias por llamar, voy a revisar su cuenta para ver qué pasó con el último pago del mes pasado.',
    'Entiendo perfectamente, la factura se envió el día tres y el cargo debería aparecer el día diez.',
    'Por favor, confirme la dirección que tenemos registrada y el código postal para verificar su identidad.',
  ],
  it: [
    'Grazie per aver chiamato, controllo subito il suo conto per vedere cosa è successo con l ultimo pagamento.',
    'Capisco, la fattura è stata inviata il tre e l importo doveva essere addebitato il dieci del mese.',
    'Mi può confermare l indirizzo e il codice postale, così posso verificare la sua identità?',
  ],
  de: [
    'Vielen Dank für Ihren Anruf, ich sehe mir gleich Ihr Konto an und prüfe die letzte Zahlung.',
    'Ich verstehe, die Rechnung wurde am dritten verschickt und der Betrag am zehnten abgebucht.',
    'Können Sie mir bitte die Adresse und die Postleitzahl bestätigen, damit ich Sie identifizieren kann?',
  ],
  pl: [
    'Dziękuję za telefon, zaraz sprawdzę pana konto i zobaczę, co się stało z ostatnią płatnością.',
    'Rozumiem, faktura została wysłana trzeciego, a kwota powinna zostać pobrana dziesiątego.',
  ],
};


/** Sparse word track: words with pauses, active RMS target dBFS, length seconds. */
function sparseWords(voice: string, lang: string, rate: number, seconds: number, rng: Rng, pauseMs: [number, number], targetDbfs: number, gainJitterDb = 3): Float64Array {
  const n = Math.round(seconds * rate);
  const out = new Float64Array(n);
  let pos = Math.round(rng.uniform(0.2, 0.8) * rate);
  const words = WORDS[lang];
  const target = 32768 * Math.pow(10, targetDbfs / 20);
  while (pos < n) {
    const w = resample(espeak(voice, words[rng.int(0, words.length)]), 22050, rate);
    const g = (target / rms(w)) * Math.pow(10, rng.uniform(-gainJitterDb, gainJitterDb) / 20);
    for (let i = 0; i < w.length && pos + i < n; i++) out[pos + i] = w[i] * g;
    pos += w.length + Math.round((rng.uniform(pauseMs[0], pauseMs[1]) * rate) / 1000);
  }
  return out;
}

/** Continuous speech: sentences back to back with 50-250 ms gaps. */
function continuous(voice: string, lang: string, rate: number, seconds: number, rng: Rng, targetDbfs: number): Float64Array {
  const n = Math.round(seconds * rate);
  const out = new Float64Array(n);
  let pos = 0;
  const ss = SENTENCES[lang];
  const target = 32768 * Math.pow(10, targetDbfs / 20);
  while (pos < n) {
    const w = resample(espeak(voice, ss[rng.int(0, ss.length)], 150 + rng.int(0, 40)), 22050, rate);
    const g = (target / rms(w)) * Math.pow(10, rng.uniform(-2, 2) / 20);
    for (let i = 0; i < w.length && pos + i < n; i++) out[pos + i] = w[i] * g;
    pos += w.length + Math.round(rng.uniform(50, 250) * rate / 1000);
  }
  return out;
}

interface LeakSpec {
  levelDb: number;
  delayMs: number;
  reflections: { delayMs: number; levelDb: number }[];
  /** peak-to-peak drift of the path delay in ms (sinusoidal, period driftPeriodS) */
  driftMs?: number;
  driftPeriodS?: number;
  /** soft clip knee in dBFS of the leak at the mic (tanh) */
  softClipDbfs?: number;
}

function clamp16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v);
}

/** Build ref (int16) and observed (int16) arrays. */
function mixCall(ref: Float64Array, agent: Float64Array | null, leak: LeakSpec | null, rate: number, rng: Rng, g711 = true): { ref: Int16Array; obs: Int16Array } {
  const n = ref.length;
  const r16 = new Int16Array(n);
  for (let i = 0; i < n; i++) r16[i] = clamp16(ref[i]);
  const obsF = new Float64Array(n);
  if (agent) for (let i = 0; i < n; i++) obsF[i] = agent[i];
  if (leak) {
    const taps = [{ d: leak.delayMs, g: Math.pow(10, leak.levelDb / 20) }, ...leak.reflections.map((r) => ({ d: leak.delayMs + r.delayMs, g: Math.pow(10, (leak.levelDb + r.levelDb) / 20) }))];
    const knee = leak.softClipDbfs !== undefined ? 32768 * Math.pow(10, leak.softClipDbfs / 20) : 0;
    for (let i = 0; i < n; i++) {
      const drift = leak.driftMs ? (leak.driftMs / 2) * Math.sin((2 * Math.PI * i) / (rate * (leak.driftPeriodS ?? 10))) : 0;
      let acc = 0;
      for (const t of taps) {
        const pos = i - ((t.d + drift) * rate) / 1000;
        const k = Math.floor(pos);
        const f = pos - k;
        if (k < 0 || k + 1 >= n) continue;
        acc += t.g * ((1 - f) * r16[k] + f * r16[k + 1]);
      }
      if (knee > 0) acc = knee * Math.tanh(acc / knee);
      obsF[i] += acc;
    }
  }
  const noise = 32768 * Math.pow(10, -60 / 20);
  const o16 = new Int16Array(n);
  for (let i = 0; i < n; i++) o16[i] = clamp16(obsF[i] + noise * rng.gauss());
  if (g711 && rate === 8000) {
    const down = pcmu();
    const up = pcmu();
    const f = 160;
    const a = new Int16Array(f);
    const b = new Int16Array(f);
    // G.711 both ways: the leak is made from the decoded downlink, so only the uplink is coded here
    // (mu-law of the reference is near-transparent at these levels); the agent's uplink is coded.
    for (let p = 0; p + f <= n; p += f) {
      a.set(o16.subarray(p, p + f));
      up.transcode(a, b);
      o16.set(b, p);
    }
    down.close?.();
    up.close?.();
  }
  return { ref: r16, obs: o16 };
}


interface Outcome {
  speechS: number;
  evaluations: number;
  firstAlarmSpeechS: number | null;
  alarmEvaluations: number;
  detectedEvaluations: number;
  delayMs: number | null;
  levelDb: number | null;
}

/** Supervisor voice/language, agent voice/language. */
const VOICES: Record<number, [string, string, string, string]> = {
  1: ['en-us+f3', 'en', 'es', 'es'],
  2: ['de+m3', 'de', 'en-gb', 'en'],
  3: ['fr-fr+f2', 'fr', 'it', 'it'],
  4: ['nl', 'nl', 'pl', 'pl'],
};

function call(seed: number, leak: LeakSpec | null, seconds: number, agentRelDb = 0, opts: Partial<BleedDetectorOptions> = {}): Outcome {
  const rng = new Rng(seed);
  const [sv, sl, av, al] = VOICES[seed];
  const sup = sparseWords(sv, sl, RATE, seconds, rng, [600, 2500], -24);
  const agt = continuous(av, al, RATE, seconds, rng, -24 + agentRelDb);
  const { ref, obs } = mixCall(sup, agt, leak, RATE, rng);
  const det = new BleedDetector({ sampleRate: RATE, ...opts });
  const f = RATE / 50;
  let speech = 0;
  let ev = 0;
  let first: number | null = null;
  let detected = 0;
  let delayMs: number | null = null;
  let levelDb: number | null = null;
  for (let p = 0; p + f <= ref.length; p += f) {
    let e = 0;
    for (let k = 0; k < f; k++) e += ref[p + k] * ref[p + k];
    if (e > SPEECH_FRAME_ENERGY * f) speech++;
    det.process(ref, p, obs, p, f);
    if (det.evaluations !== ev) {
      ev = det.evaluations;
      if (det.detected) {
        detected++;
        delayMs = det.delayMs;
        levelDb = det.levelDb;
      }
      if (det.alarm && first === null) first = speech / 50;
    }
  }
  return { speechS: speech / 50, evaluations: det.evaluations, firstAlarmSpeechS: first, alarmEvaluations: det.alarmEvaluations, detectedEvaluations: detected, delayMs, levelDb };
}

const ISSUE_LEAK: LeakSpec = { levelDb: -20, delayMs: 80, reflections: [{ delayMs: 7, levelDb: -1 }] };

if (!fs.existsSync(ESPEAK)) {
  t.fail('espeak-ng missing: install the Debian package espeak-ng (make test installs it)');
} else {
  t.test('-20 dB leak, 80 ms + reflection 7 ms later, sparse words, equal-level double talk: alarm within 2 s of whisper speech', async (t) => {
    // Bound per seed: 2 s of whisper speech (issue 13), except seed 2 (de+m3): 2.4 s today, its first words
    // are weak against the agent. History: the detector before issue 13's first fix: seed 1 3.04 s, seed 2
    // no alarm in 25 s; after it (averaged cross-spectrum, single-lag fit): seed 2 4.3 s (the two paths
    // alternated as the winning lag and each switch restarted the fit), so this test fails on both.
    for (const [seed, bound] of [[1, 2], [2, 3], [4, 2]] as const) {
      const r = call(seed, ISSUE_LEAK, 25);
      t.ok(r.speechS > 4, `seed ${seed}: the supervisor talked ${r.speechS} s`);
      t.ok(r.firstAlarmSpeechS !== null && r.firstAlarmSpeechS <= bound, `seed ${seed} (${VOICES[seed][0]}): alarm after ${r.firstAlarmSpeechS} s of whisper speech (bound ${bound} s)`);
      t.ok(r.delayMs !== null && (Math.abs(r.delayMs - 80) <= 3 || Math.abs(r.delayMs - 87) <= 3), `seed ${seed}: delay ${r.delayMs} ms (80 or 87)`);
      t.ok(r.levelDb !== null && r.levelDb >= -25 && r.levelDb <= -14, `seed ${seed}: level ${r.levelDb} dB`);
    }
  });

  t.test('the same leak with its delay drifting (a jitter buffer stretching): alarm within bounds', async (t) => {
    // Path delay 80 ms +- 1 ms (2 ms peak-to-peak) or +- 2 ms (4 ms p-p), sinusoidal over 8 s, both taps
    // move together. The detector before this change averaged the cross-spectrum's phase over seconds
    // and lost the peak: 2 ms p-p seeds 2, 3 and 4 ms p-p seeds 2, 4 had no alarm in 25 s (this test fails
    // on it). Before session 7: 2 ms p-p 3.1 / 2.7 s, 4 ms p-p 1.0 / 4.3 / 0.3 s; since (level fit follows
    // the drift, PHAT-beta 0.75, evidence mode): 4.3 / 2.2 s, 1.0 / 4.3 / 0.3 s. Seed 2 at 2 ms p-p got later
    // (PHAT-beta: with PHAT 2.4 s); its bound moved 3.5 -> 4.5 s for the tuning bench's gain
    // (bench/bleed/eval-results-2026-12-06-session7.md). The level still reads low while the delay moves.
    for (const [driftMs, seed, bound] of [[2, 2, 4.5], [2, 3, 3.5], [4, 1, 2], [4, 2, 5], [4, 4, 2]] as const) {
      const r = call(seed, { ...ISSUE_LEAK, driftMs, driftPeriodS: 8 }, 25);
      t.ok(r.firstAlarmSpeechS !== null && r.firstAlarmSpeechS <= bound, `drift ${driftMs} ms p-p, seed ${seed} (${VOICES[seed][0]}): alarm after ${r.firstAlarmSpeechS} s of whisper speech (bound ${bound} s)`);
      t.ok(r.delayMs !== null && r.delayMs >= 76 && r.delayMs <= 92, `drift ${driftMs}, seed ${seed}: delay ${r.delayMs} ms (78..89 true)`);
      t.ok(r.levelDb !== null && r.levelDb >= -31 && r.levelDb <= -14, `drift ${driftMs}, seed ${seed}: level ${r.levelDb} dB`);
    }
    // Session 12 (every evaluation nominates a fit): seed 3 at 2 ms p-p starts its fit on the reflection
    // (87 ms), whose level reads below the threshold with the long level memory; the confident nomination at the
    // direct path moves that fit (confidentNomination), and the short level memory (gainSmoothing) reads the
    // drifting level closer. With neither it never alarms in 25 s: the case that kept the weak vote from
    // shipping in session 11.
    // (With session 12's delay search, PHAT-beta over 512 ms without time whitening: session 13's search finds the
    // direct path first.)
    const off = call(3, { ...ISSUE_LEAK, driftMs: 2, driftPeriodS: 8 }, 25, 0, { searchWhitening: 'phat', windowMs: 512, searchTimeWhitening: false, confidentNomination: { need: 0, minConfidence: 0.5 }, gainSmoothing: 0.9 });
    t.equal(off.firstAlarmSpeechS, null, `drift 2, seed 3, PHAT-beta search, no confident move, level memory 0.9: no alarm (${off.firstAlarmSpeechS}), detected at ${off.delayMs} ms, ${off.levelDb} dB`);
  });

  t.test('no leak, continuous double talk: never detected, never alarmed', async (t) => {
    for (const seed of [1, 3]) {
      const r = call(seed, null, 90);
      t.ok(r.evaluations > 50, `seed ${seed}: ${r.evaluations} evaluations`);
      t.equal(r.detectedEvaluations, 0, `seed ${seed}: no detection`);
      t.equal(r.alarmEvaluations, 0, `seed ${seed}: no alarm`);
    }
  });

  t.test('-50 dB leak (80 ms + reflection), double talk: no alarm', async (t) => {
    for (const seed of [2, 4]) {
      const r = call(seed, { ...ISSUE_LEAK, levelDb: -50 }, 90);
      t.ok(r.evaluations > 50, `seed ${seed}: ${r.evaluations} evaluations`);
      t.equal(r.alarmEvaluations, 0, `seed ${seed}: no alarm (measured ${r.levelDb} dB when detected)`);
    }
  });
}
