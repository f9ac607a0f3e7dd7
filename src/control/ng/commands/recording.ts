/**
 * ng call recording (issue 15; rtpengine 11 semantics, daemon/call_interfaces.c call_recording_common_ng):
 *
 *   start recording   {call-id [, from-tag] [, metadata]}  -> {result: ok}; starts, or resumes a paused recording
 *   stop recording    {call-id [, metadata]}               -> {result: ok}; closes the files (a later start makes new ones);
 *                     with `pause=yes|on|true` or flag `pause`: as pause recording; flag `discard-recording`: the
 *                     files (audio, metadata) are deleted (audit record 'discarded' lists them)
 *   pause recording   {call-id [, metadata]}               -> {result: ok}; files stay open, silence is written while paused
 *   offer / answer    `record call` yes|on (or flag record-call): start (not when paused, as rtpengine); no|off: stop;
 *                     discard (or flag discard-recording): stop and delete the files
 *   metadata key      on any of these: the call's metadata string (with from-tag: that participant's too), last one wins
 *   query             + `recording: {call recording: 0|1, forwarding: 0}` for a call that has been recorded
 *
 * Errors: "No call-id in message", "Unknown call-id". With recording.dir empty the commands answer
 * {result: ok, warning: "Call recording is not enabled (recording.dir is empty)"} and record nothing.
 */
import { CallNotFoundError } from '../../../errors';
import { requireKey } from '../../../call/offerAnswer';
import type { Call } from '../../../call/Call';
import type { RecordingService } from '../../../recording/RecordingService';
import type { NgDict } from '../bencode';
import type { CommandContext, CommandHandler } from './context';
import type { NgRequest } from '../NgServer';

function callOf(ctx: CommandContext, req: NgRequest): Call {
  const callId = requireKey(req.params.callId, 'No call-id in message');
  const call = ctx.registry.get(callId);
  if (!call) throw new CallNotFoundError();
  return call;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  return undefined;
}

function applyMetadata(rec: RecordingService, call: Call, req: NgRequest): void {
  const m = req.params.metadata;
  if (m === undefined) return;
  rec.setMetadata(call, m);
  if (req.params.fromTag) rec.setMetadata(call, m, req.params.fromTag);
}

function ok(warning: string | undefined): NgDict {
  return warning ? { result: 'ok', warning } : { result: 'ok' };
}

function withWarning(out: NgDict, add: string | undefined): NgDict {
  const old = typeof out.warning === 'string' ? out.warning : '';
  const parts = old.split('; ').filter((w) => w !== '');
  if (add) parts.push(add);
  const res: NgDict = { ...out };
  if (parts.length > 0) res.warning = parts.join('; ');
  else delete res.warning;
  return res;
}

/** The recording commands, and offer/answer/query wrapped for `record call`, `metadata` and the query dict. */
export function recordingCommands(rec: RecordingService, base: { offer: CommandHandler; answer: CommandHandler; query: CommandHandler }): Array<[string, CommandHandler]> {
  const start: CommandHandler = (ctx, req) => {
    const call = callOf(ctx, req);
    const w = rec.start(call, 'ng', 'start recording');
    applyMetadata(rec, call, req);
    return ok(w);
  };
  const pause: CommandHandler = (ctx, req) => {
    const call = callOf(ctx, req);
    applyMetadata(rec, call, req);
    if (!rec.enabled) return ok(rec.start(call, 'ng', 'pause recording'));
    rec.pause(call, 'ng', 'pause recording');
    return ok(undefined);
  };
  const stop: CommandHandler = (ctx, req) => {
    const call = callOf(ctx, req);
    applyMetadata(rec, call, req);
    const p = str(req.dict.pause)?.toLowerCase();
    if (p === 'yes' || p === 'on' || p === 'true' || req.params.flags.has('pause')) return pause(ctx, req);
    if (!rec.enabled) return ok(rec.start(call, 'ng', 'stop recording'));
    if (req.params.flags.has('discard-recording')) rec.discard(call, 'ng', 'stop recording: discard-recording');
    else rec.stop(call, 'ng', 'stop recording');
    return ok(undefined);
  };
  const signalling =
    (handler: CommandHandler): CommandHandler =>
    async (ctx, req) => {
      const out = await handler(ctx, req);
      const callId = req.params.callId;
      const call = callId ? ctx.registry.get(callId) : undefined;
      const v = req.params.recordCall?.toLowerCase();
      const on = req.params.flags.has('record-call') || v === 'yes' || v === 'on';
      const off = v === 'no' || v === 'off';
      const discard = v === 'discard' || req.params.flags.has('discard-recording');
      let warning: string | undefined;
      if (call && out.result === 'ok') {
        if (on) {
          const r = rec.recording(call);
          if (!r || r.state !== 'paused') warning = rec.start(call, 'ng', `${req.command}: record call`);
        } else if (off) rec.stop(call, 'ng', `${req.command}: record call ${v}`);
        else if (discard) rec.discard(call, 'ng', `${req.command}: discard`);
        applyMetadata(rec, call, req);
      }
      return on || warning ? withWarning(out, warning) : out;
    };
  const query: CommandHandler = async (ctx, req) => {
    const out = await base.query(ctx, req);
    const call = req.params.callId ? ctx.registry.get(req.params.callId) : undefined;
    if (call && (rec.recording(call) || rec.last.get(call))) {
      const r = rec.recording(call);
      return { ...out, recording: { 'call recording': r && r.state === 'recording' ? 1 : 0, forwarding: 0 } };
    }
    return out;
  };
  return [
    ['start recording', start],
    ['stop recording', stop],
    ['pause recording', pause],
    ['offer', signalling(base.offer)],
    ['answer', signalling(base.answer)],
    ['query', query],
  ];
}
