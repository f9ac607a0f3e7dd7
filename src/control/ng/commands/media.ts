/**
 * rtpengine's `play media` / `stop media` (call_interfaces.c call_play_media_ng / call_stop_media_ng):
 * a prompt mixed into one participant's ear only (src/supervision SupervisionService.playPrompt).
 *
 *   play media: call-id, a participant (from-tag | label | address, or flag `all`; select.ts),
 *               file (a name in prompts.dir) | blob | text (+ voice, rate; whisperd's own keys,
 *               synthesized by prompts.tts.command: src/prompts/tts.ts), repeat-times  ->  { result: ok, duration }
 *   stop media: call-id, a participant                                ->  { result: ok }
 *
 * As in rtpengine, a participant whose call is not answered yet hears the prompt in the first codec of
 * its own offer (rtpengine's media player picks "the selected participant's first listed codec that is
 * supported"): the leg gets that codec provisionally (the answer decides it for real), and gets it back
 * unset if the prompt is refused.
 */
import { MissingKeyError } from '../../../errors';
import { pickCodec } from '../../../call/negotiate';
import type { MediaLeg } from '../../../call/MediaLeg';
import type { Participant } from '../../../call/Participant';
import type { NgDict } from '../bencode';
import type { CommandContext } from './context';
import type { NgRequest } from '../NgServer';
import { commitLabel, selectedParties, selectParticipant } from './select';
import { canonicalKey } from '../params';
import { ngText } from '../../../prompts/tts';
import { BadRequestError } from '../../../errors';

/** A key of the request as sent, matched as params.ts matches keys (case-insensitive, space/underscore = hyphen). */
function rawKey(req: NgRequest, name: string): unknown {
  for (const k of Object.keys(req.dict)) if (canonicalKey(k) === name) return req.dict[k];
  return undefined;
}

/** The `text` prompt keys: text (UTF-8), voice, rate (words per minute; integer or decimal string). */
function textPrompt(req: NgRequest): { text: string; voice?: string; rate?: number } | undefined {
  const text = ngText(rawKey(req, 'text'));
  if (text === undefined) return undefined;
  const v = rawKey(req, 'voice');
  if (v !== undefined && typeof v !== 'string') throw new BadRequestError('Invalid voice');
  const r = rawKey(req, 'rate');
  let rate: number | undefined;
  if (typeof r === 'number') rate = r;
  else if (typeof r === 'string' && /^\s*\d{1,6}\s*$/.test(r)) rate = Number(r.trim());
  else if (r !== undefined) throw new BadRequestError('Invalid rate');
  return { text, voice: v === undefined ? undefined : Buffer.from(v, 'latin1').toString('utf8'), rate };
}

/** Give the participant's first live audio leg a codec from its own SDP when none is decided yet; returns what it set. */
function provisionalCodec(p: Participant): { leg: MediaLeg; codec: NonNullable<MediaLeg['codec']> } | null {
  const leg = p.liveAudioLeg();
  if (!leg || leg.codec !== null) return null;
  const c = pickCodec(leg.payloads);
  if (c === null) return null;
  leg.codec = c;
  return { leg, codec: c };
}

export async function playMediaCommand(ctx: CommandContext, req: NgRequest): Promise<NgDict> {
  const p = req.params;
  const sel = selectParticipant(ctx, p);
  const parties = selectedParties(sel);
  const text = textPrompt(req);
  if (p.file === undefined && p.blob === undefined && text === undefined) throw new MissingKeyError('No media file specified');
  if (text !== undefined && (p.file !== undefined || p.blob !== undefined)) throw new BadRequestError('Only one of file, blob or text');
  if (text !== undefined) ctx.promptFiles.tts.check(text); // refuse a bad text before any codec is set
  // A named file comes only from the prompt directory (PromptFiles: bounded, one error for every refusal).
  const media = text !== undefined ? undefined : p.blob !== undefined ? { blob: p.blob } : { file: p.file!, blob: await ctx.promptFiles.read(p.file!) };
  let duration: number | undefined;
  if (parties.length > 0) {
    // All parties or none (a failed command changes nothing): playPrompts checks every party before it
    // starts any prompt. A provisional codec is taken back only while it is still the one set here (an
    // answer committed during the command's awaits decides the leg's codec for real).
    const set = parties.map(provisionalCodec).filter((x) => x !== null);
    try {
      const tags = parties.map((x) => x.tag);
      duration =
        media !== undefined
          ? await ctx.supervision.playPrompts(sel.call, tags, media, p.repeatTimes ?? 1, 'ng')
          : // Synthesized off the event loop (child process), then the WAV path: audited, then played.
            await ctx.promptFiles.tts.play(sel.call.callId, text!, (m) => ctx.supervision.playPrompts(sel.call, tags, m, p.repeatTimes ?? 1, 'ng'));
    } catch (err) {
      for (const { leg, codec } of set) if (leg.codec === codec) leg.codec = null;
      throw err;
    }
  }
  commitLabel(sel, p);
  const out: NgDict = { result: 'ok' };
  if (duration !== undefined) out.duration = duration;
  return out;
}

export function stopMediaCommand(ctx: CommandContext, req: NgRequest): NgDict {
  const p = req.params;
  const sel = selectParticipant(ctx, p);
  for (const party of selectedParties(sel)) ctx.supervision.stopPrompt(sel.call, party.tag);
  commitLabel(sel, p);
  return { result: 'ok' };
}
