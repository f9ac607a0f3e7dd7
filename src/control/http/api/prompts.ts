/**
 * Prompts played into one participant's ear only (rtpengine's play media / stop media):
 *   POST   /v1/calls/:callId/participants/:tag/prompts  {file | blobBase64, repeatTimes?} -> 201 {durationMs}
 *   POST   /v1/calls/:callId/participants/:tag/prompts  {text, voice?, rate?, repeatTimes?} -> 201 {durationMs}
 *          (text synthesized by prompts.tts.command: src/prompts/tts.ts lists the errors)
 *   DELETE /v1/calls/:callId/participants/:tag/prompts                                   -> 200 {stopped}
 */
import { z } from 'zod';
import type { HttpServer } from '../HttpServer';
import type { ApiDeps } from './deps';
import { parseBody, requireCall, requireParticipant } from './validate';

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

export const playPromptBody = z
  .object({
    file: z.string({ error: 'expected a file path (string)' }).min(1, 'expected a file path (string)').optional(),
    blobBase64: z.string({ error: 'expected base64 text' }).min(1, 'expected base64 text').regex(BASE64, 'expected base64 text').optional(),
    text: z.string({ error: 'expected a string' }).optional(),
    voice: z.string({ error: 'expected a voice name (string)' }).optional(),
    rate: z.number({ error: 'expected words per minute (integer 80..450)' }).optional(),
    repeatTimes: z.number({ error: 'expected an integer 1..1000' }).int('expected an integer 1..1000').min(1, 'expected an integer 1..1000').max(1000, 'expected an integer 1..1000').optional(),
  })
  .strict()
  .refine((b) => b.text !== undefined || (b.file === undefined) !== (b.blobBase64 === undefined), { message: 'exactly one of file or blobBase64 is required', path: ['file'] })
  .refine((b) => b.text === undefined || (b.file === undefined && b.blobBase64 === undefined), { message: 'not with file or blobBase64', path: ['text'] })
  .refine((b) => b.text !== undefined || (b.voice === undefined && b.rate === undefined), { message: 'only with text', path: ['voice'] });

export function registerPromptRoutes(http: HttpServer, d: ApiDeps): void {
  http.route('POST', '/v1/calls/:callId/participants/:tag/prompts', async ({ params, body }) => {
    const b = parseBody(playPromptBody, body);
    const call = requireCall(d.registry, params.callId!);
    requireParticipant(call, params.tag!);
    if (b.text !== undefined) {
      // Synthesized off the event loop (child process), then the WAV path below: audited, then played.
      const durationMs = await d.promptFiles.tts.play(call.callId, { text: b.text, voice: b.voice, rate: b.rate }, (media) =>
        d.supervision.playPrompt(call, params.tag!, media, b.repeatTimes ?? 1, 'http'),
      );
      return { durationMs };
    }
    // A named file comes only from the prompt directory (PromptFiles: bounded, one error for every refusal).
    const media = b.blobBase64 !== undefined ? { blob: Buffer.from(b.blobBase64, 'base64') } : { file: b.file!, blob: await d.promptFiles.read(b.file!) };
    const durationMs = await d.supervision.playPrompt(call, params.tag!, media, b.repeatTimes ?? 1, 'http');
    return { durationMs };
  });

  http.route('DELETE', '/v1/calls/:callId/participants/:tag/prompts', ({ params }) => {
    const call = requireCall(d.registry, params.callId!);
    requireParticipant(call, params.tag!);
    return { stopped: d.supervision.stopPrompt(call, params.tag!) };
  });
}
