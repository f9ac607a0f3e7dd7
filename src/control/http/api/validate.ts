/**
 * Request validation for the JSON API: zod schemas for bodies and the lookups every route repeats.
 * A failed validation is a BadRequestError (400) whose text names the field, e.g.
 * `mode: expected listen, whisper, barge or page`; unknown fields are refused by name.
 */
import type { z } from 'zod';
import type { Call } from '../../../call/Call';
import type { CallRegistry } from '../../../call/CallRegistry';
import type { Participant } from '../../../call/Participant';
import { BadRequestError, CallNotFoundError, TagNotFoundError } from '../../../errors';

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${[...issue.path, k].join('.')}: unknown field`).join('; ');
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
  return `${field}: ${issue.message}`;
}

/** Parse a JSON body with `schema`, or throw BadRequestError naming the first offending field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined) throw new BadRequestError('body: a JSON object is required');
  const res = schema.safeParse(body);
  if (!res.success) throw new BadRequestError(describe(res.error.issues[0]!));
  return res.data;
}

/** A call that exists and is not pending deletion ("Unknown call-id", 404). */
export function requireCall(registry: CallRegistry, callId: string): Call {
  const call = registry.get(callId);
  if (!call || call.closed || call.deleteTimer) throw new CallNotFoundError();
  return call;
}

/** A participant of `call` ("Unknown tag", 404). */
export function requireParticipant(call: Call, tag: string): Participant {
  const p = call.participant(tag);
  if (!p) throw new TagNotFoundError('Unknown tag');
  return p;
}
