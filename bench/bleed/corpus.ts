/**
 * Evaluation corpus for the bleed detector (issue 13): speech pools from several independent sources,
 * split into a TUNING part and a HELD-OUT part. The split is fixed here and must not move:
 *
 *   TUNING   (may be looked at while tuning the detector)
 *     - pocketsphinx-testdata (Debian, /usr/share/pocketsphinx/test/data, 16 kHz recordings): the corpus the
 *       detector was originally tuned on, three speaker groups as in test/fixtures/dsp/speech.ts:
 *       'ps-librivox' (one LibriVox reader), 'ps-cards' (cards/*.wav + something.raw), 'ps-misc'
 *       (goforward, numbers, tidigits);
 *     - espeak-ng voices en-us+m1, en-gb+f2, de+m3 (English, English, German sentences and commands).
 *   HELD-OUT (never look at it while tuning; report it separately)
 *     - espeak-ng voices fr+m2, es+f3, it+m4, pt+f1, nl+m5, pl+f4, ru+m6, en-us+f5, en-gb-scotland+m7,
 *       en+klatt3 (klatt formant model), de+klatt (German, klatt), es+croak: other languages, other
 *       synthesis variants, other pitches and rates than any tuning voice.
 *   Other recorded speech in installed Debian packages: none found (searched *.wav/*.raw/*.ogg/*.flac/*.oga
 *   > 20 kB on the whole root file system: baresip's sounds are tones, Python's test audio is plucked
 *   strings). flite (a second synthesizer) was not installable on the machine this was written on.
 *
 * Every espeak-ng voice speaks the same kind of material in its own language: a few call-centre sentences
 * (dense speech) and ten single commands/short words, each synthesized alone and separated by 600 ms of
 * silence (sparse material with clean word onsets). espeak-ng writes 22.05 kHz; sox resamples (`gain -3 rate -h`, no dither)
 * to 8, 16 or 48 kHz. Each voice's audio is normalised to -24 dBFS active RMS (like speech.ts) and carries
 * its word onsets (findOnsets), so talkers start spurts at words.
 *
 * Cache: synthesized audio under os.tmpdir()/whisperd-bleed-corpus/<espeak-ng version>/ (deterministic:
 * same text, voice, rate -> same samples; delete the directory to rebuild). Needs /usr/bin/espeak-ng and
 * /usr/bin/sox; a missing tool throws (no silent fallback).
 *
 * corpusPools(part, rate, seed): supervisor, agent and customer from three DIFFERENT voices of that part,
 * chosen by `seed` (deterministic). corpusVoices(part) lists a part's voices; corpusSummary() the seconds.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '../../test/fixtures/dsp/rng';
import { findOnsets, loadSpeechPools, normaliseActive, type SpeechPools } from '../../test/fixtures/dsp/speech';

export type CorpusPart = 'tuning' | 'heldout';
export type CorpusRate = 8000 | 16000 | 48000;

interface EspeakVoice {
  kind: 'espeak';
  /** espeak-ng -v argument. */
  voice: string;
  lang: keyof typeof TEXT;
  /** Words per minute (-s) and pitch (-p). */
  wpm: number;
  pitch: number;
}
interface PocketsphinxVoice {
  kind: 'pocketsphinx';
  pool: 'supervisor' | 'agent' | 'customer';
}
export type CorpusVoice = { id: string } & (EspeakVoice | PocketsphinxVoice);

/** Sentences (dense) and commands (sparse), per language. */
const TEXT = {
  en: {
    sentences: [
      'Thank you for calling, my name is Sam, how can I help you today?',
      'I can see the order on my screen, it was shipped on Tuesday and should arrive by Friday.',
      'Let me check that for you, could you please confirm the postcode on the account?',
      'If the refund has not arrived within five working days, please call us again and quote this reference.',
    ],
    commands: ['stop', 'offer the refund', 'ask for the postcode', 'yes', 'no', 'transfer', 'escalate now', 'hold on', 'slow down', 'apologise'],
  },
  de: {
    sentences: [
      'Vielen Dank für Ihren Anruf, mein Name ist Sandra, wie kann ich Ihnen helfen?',
      'Ich sehe die Bestellung, sie wurde am Dienstag verschickt und kommt bis Freitag an.',
      'Einen Moment bitte, können Sie mir die Postleitzahl des Kontos bestätigen?',
      'Wenn die Erstattung nicht innerhalb von fünf Werktagen ankommt, rufen Sie bitte wieder an.',
    ],
    commands: ['stopp', 'Erstattung anbieten', 'nach der Nummer fragen', 'ja', 'nein', 'weiterleiten', 'jetzt eskalieren', 'warten', 'langsamer', 'entschuldigen'],
  },
  fr: {
    sentences: [
      'Merci de votre appel, je m’appelle Claire, comment puis-je vous aider aujourd’hui ?',
      'Je vois la commande, elle a été expédiée mardi et devrait arriver vendredi.',
      'Un instant, pouvez-vous me confirmer le code postal du compte ?',
      'Si le remboursement n’arrive pas sous cinq jours ouvrés, rappelez-nous avec cette référence.',
    ],
    commands: ['arrête', 'propose le remboursement', 'demande le code', 'oui', 'non', 'transfère', 'escalade', 'attends', 'plus lentement', 'excuse-toi'],
  },
  es: {
    sentences: [
      'Gracias por llamar, me llamo Lucía, ¿en qué puedo ayudarle hoy?',
      'Veo el pedido en la pantalla, se envió el martes y debería llegar el viernes.',
      'Un momento, por favor, ¿puede confirmarme el código postal de la cuenta?',
      'Si el reembolso no llega en cinco días hábiles, llámenos de nuevo con esta referencia.',
    ],
    commands: ['para', 'ofrece el reembolso', 'pide el código', 'sí', 'no', 'transfiere', 'escala ahora', 'espera', 'más despacio', 'discúlpate'],
  },
  it: {
    sentences: [
      'Grazie per aver chiamato, mi chiamo Marco, come posso aiutarla oggi?',
      'Vedo l’ordine sullo schermo, è stato spedito martedì e dovrebbe arrivare venerdì.',
      'Un attimo, può confermarmi il codice postale del conto?',
      'Se il rimborso non arriva entro cinque giorni lavorativi, ci richiami con questo riferimento.',
    ],
    commands: ['fermati', 'offri il rimborso', 'chiedi il codice', 'sì', 'no', 'trasferisci', 'passa al responsabile', 'aspetta', 'più piano', 'scusati'],
  },
  pt: {
    sentences: [
      'Obrigado por ligar, o meu nome é Ana, em que posso ajudar hoje?',
      'Vejo a encomenda no ecrã, foi enviada na terça-feira e deve chegar na sexta.',
      'Um momento, pode confirmar o código postal da conta?',
      'Se o reembolso não chegar em cinco dias úteis, ligue-nos outra vez com esta referência.',
    ],
    commands: ['pare', 'ofereça o reembolso', 'peça o código', 'sim', 'não', 'transfira', 'escale agora', 'espere', 'mais devagar', 'peça desculpa'],
  },
  nl: {
    sentences: [
      'Bedankt voor uw telefoontje, mijn naam is Pieter, waarmee kan ik u helpen?',
      'Ik zie de bestelling, die is dinsdag verzonden en komt uiterlijk vrijdag aan.',
      'Een ogenblik, kunt u de postcode van het account bevestigen?',
      'Als de terugbetaling niet binnen vijf werkdagen binnen is, belt u ons dan opnieuw.',
    ],
    commands: ['stop', 'bied terugbetaling aan', 'vraag de postcode', 'ja', 'nee', 'doorverbinden', 'nu escaleren', 'wacht', 'langzamer', 'excuses'],
  },
  pl: {
    sentences: [
      'Dziękuję za telefon, nazywam się Anna, w czym mogę pomóc?',
      'Widzę zamówienie, zostało wysłane we wtorek i powinno dotrzeć w piątek.',
      'Chwileczkę, czy może pan potwierdzić kod pocztowy konta?',
      'Jeśli zwrot nie dotrze w ciągu pięciu dni roboczych, proszę zadzwonić ponownie.',
    ],
    commands: ['stop', 'zaproponuj zwrot', 'zapytaj o kod', 'tak', 'nie', 'przełącz', 'eskaluj teraz', 'czekaj', 'wolniej', 'przeproś'],
  },
  ru: {
    sentences: [
      'Спасибо за звонок, меня зовут Ольга, чем я могу вам помочь?',
      'Я вижу заказ, он был отправлен во вторник и придёт к пятнице.',
      'Одну минуту, подтвердите, пожалуйста, почтовый индекс.',
      'Если возврат не придёт за пять рабочих дней, позвоните нам ещё раз.',
    ],
    commands: ['стоп', 'предложи возврат', 'спроси индекс', 'да', 'нет', 'переведи', 'эскалируй', 'подожди', 'медленнее', 'извинись'],
  },
} as const;

const es = (id: string, voice: string, lang: EspeakVoice['lang'], wpm: number, pitch: number): CorpusVoice => ({ id, kind: 'espeak', voice, lang, wpm, pitch });

/** THE SPLIT. Do not move voices between parts. */
const PARTS: Record<CorpusPart, CorpusVoice[]> = {
  tuning: [
    { id: 'ps-librivox', kind: 'pocketsphinx', pool: 'supervisor' },
    { id: 'ps-cards', kind: 'pocketsphinx', pool: 'agent' },
    { id: 'ps-misc', kind: 'pocketsphinx', pool: 'customer' },
    es('espeak en-us+m1', 'en-us+m1', 'en', 165, 45),
    es('espeak en-gb+f2', 'en-gb+f2', 'en', 175, 55),
    es('espeak de+m3', 'de+m3', 'de', 160, 40),
  ],
  heldout: [
    es('espeak fr+m2', 'fr+m2', 'fr', 170, 45),
    es('espeak es+f3', 'es+f3', 'es', 185, 60),
    es('espeak it+m4', 'it+m4', 'it', 160, 35),
    es('espeak pt+f1', 'pt+f1', 'pt', 175, 65),
    es('espeak nl+m5', 'nl+m5', 'nl', 150, 50),
    es('espeak pl+f4', 'pl+f4', 'pl', 170, 58),
    es('espeak ru+m6', 'ru+m6', 'ru', 165, 30),
    es('espeak en-us+f5', 'en-us+f5', 'en', 190, 70),
    es('espeak en-gb-scotland+m7', 'en-gb-scotland+m7', 'en', 155, 25),
    es('espeak en+klatt3', 'en+klatt3', 'en', 170, 50),
    es('espeak de+klatt', 'de+klatt', 'de', 180, 45),
    es('espeak es+croak', 'es+croak', 'es', 160, 40),
  ],
};

export function corpusVoices(part: CorpusPart): readonly CorpusVoice[] {
  return PARTS[part];
}

const ESPEAK = '/usr/bin/espeak-ng';
const SOX = '/usr/bin/sox';

let cacheDirMemo: string | null = null;
function cacheDir(): string {
  if (cacheDirMemo) return cacheDirMemo;
  const ver = execFileSync(ESPEAK, ['--version'], { encoding: 'utf8' }).replace(/[^0-9.]+/g, ' ').trim().split(' ')[0] || 'unknown';
  cacheDirMemo = path.join(os.tmpdir(), 'whisperd-bleed-corpus', `espeak-ng-${ver}`);
  fs.mkdirSync(cacheDirMemo, { recursive: true });
  return cacheDirMemo;
}

/** One utterance from espeak-ng at `rate` (cached raw little-endian int16). */
function synth(v: EspeakVoice, text: string, rate: CorpusRate): Int16Array {
  const key = `${v.voice}_${v.wpm}_${v.pitch}_${rate}_${Buffer.from(text).toString('base64url').slice(0, 40)}_${hash(text)}`;
  const file = path.join(cacheDir(), `${key}.raw`);
  if (!fs.existsSync(file)) {
    const wav = `${file}.${process.pid}.wav`;
    execFileSync(ESPEAK, ['-v', v.voice, '-s', String(v.wpm), '-p', String(v.pitch), '-w', wav, text]);
    // -D: no dither (sox dithers with random noise otherwise: not reproducible); 3 dB headroom against
    // resampler overshoot (the level is normalised afterwards anyway).
    execFileSync(SOX, ['-D', wav, '-r', String(rate), '-b', '16', '-e', 'signed-integer', '-c', '1', '-t', 'raw', `${file}.${process.pid}`, 'gain', '-3', 'rate', '-h'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    fs.renameSync(`${file}.${process.pid}`, file);
    fs.unlinkSync(wav);
  }
  const buf = fs.readFileSync(file);
  const out = new Int16Array(buf.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = buf.readInt16LE(2 * i);
  return out;
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16);
}

/** A voice's material at `rate`: sentences then commands (each command followed by 600 ms of silence). */
export interface VoiceAudio {
  id: string;
  samples: Int16Array;
  onsets: Uint32Array;
  seconds: number;
}

const voiceCache = new Map<string, VoiceAudio>();

export function voiceAudio(v: CorpusVoice, rate: CorpusRate): VoiceAudio {
  const key = `${v.id}@${rate}`;
  const hit = voiceCache.get(key);
  if (hit) return hit;
  let x: Int16Array;
  if (v.kind === 'pocketsphinx') {
    x = loadSpeechPools(rate)[v.pool];
  } else {
    const t = TEXT[v.lang];
    const gap = new Int16Array(Math.round(rate * 0.6));
    const parts: Int16Array[] = [];
    for (const s of t.sentences) parts.push(synth(v, s, rate), gap.subarray(0, gap.length >> 1));
    for (const c of t.commands) parts.push(synth(v, c, rate), gap);
    const total = parts.reduce((s, p) => s + p.length, 0);
    const cat = new Float64Array(total);
    let o = 0;
    for (const p of parts) {
      cat.set(p, o);
      o += p.length;
    }
    x = normaliseActive(cat, rate, -24);
  }
  const a: VoiceAudio = { id: v.id, samples: x, onsets: findOnsets(x, rate), seconds: x.length / rate };
  voiceCache.set(key, a);
  return a;
}

/**
 * Pools for one simulated call: supervisor, agent and customer from three different voices of `part`,
 * picked by `seed`. Pools are at -24 dBFS active RMS and carry word onsets.
 */
export function corpusPools(part: CorpusPart, rate: CorpusRate, seed: number): SpeechPools {
  const voices = [...PARTS[part]];
  const rng = new Rng(seed * 2654435761 + 17);
  for (let i = voices.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [voices[i], voices[j]] = [voices[j], voices[i]];
  }
  const [s, a, c] = voices.slice(0, 3).map((v) => voiceAudio(v, rate));
  return {
    rate,
    supervisor: s.samples,
    agent: a.samples,
    customer: c.samples,
    onsets: { supervisor: s.onsets, agent: a.onsets, customer: c.onsets },
    activeDbfs: -24,
    describe: { supervisor: s.id, agent: a.id, customer: c.id },
  };
}

/** Seconds of audio and word onsets per voice of a part (at 16 kHz). */
export function corpusSummary(part: CorpusPart): { id: string; seconds: number; words: number }[] {
  return PARTS[part].map((v) => {
    const a = voiceAudio(v, 16000);
    return { id: v.id, seconds: a.seconds, words: a.onsets.length };
  });
}
