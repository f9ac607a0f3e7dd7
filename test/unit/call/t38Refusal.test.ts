/**
 * A T.38 gateway is never promised without one: when the addon lacks the gateway (missing, or built
 * before it), an offer asking for T.38 `decode`/`force` on a line that needs it is refused with a clear,
 * stable error before anything changes — rather than offering the translated SDP and leaving the fax
 * with no media (rtpengine without spandsp has no T.38 either).
 */
import t from 'tap';
import type * as T38 from '../../../src/call/t38';
import { Call } from '../../../src/call/Call';
import { Participant } from '../../../src/call/Participant';
import { emptyParams } from '../../../src/control/ng/params';
import { parseSdp } from '../../../src/sdp/parse';

const IMAGE = ['v=0', 'o=- 1 1 IN IP4 198.51.100.1', 's=-', 't=0 0', 'm=image 6000 udptl t38', 'c=IN IP4 198.51.100.1', 'a=T38FaxVersion:0', ''].join('\r\n');
const AUDIO = ['v=0', 'o=- 1 1 IN IP4 198.51.100.1', 's=-', 't=0 0', 'm=audio 6000 RTP/AVP 8', 'c=IN IP4 198.51.100.1', ''].join('\r\n');

t.test('without the native gateway, T.38 decode / force is refused ("T.38 gateway unavailable")', async (t) => {
  const t38 = t.mockRequire<typeof T38>('../../../src/call/t38', { '../../../src/native/addon': { loadNative: () => null } });
  const call = new Call('c');
  const a = new Participant('a');
  const b = new Participant('b');
  const decode = { ...emptyParams(), t38: new Set(['decode']) };
  const force = { ...emptyParams(), t38: new Set(['force']) };
  t.throws(() => t38.planT38Offer(call, a, b, parseSdp(IMAGE), decode), { message: t38.T38_UNAVAILABLE });
  t.throws(() => t38.planT38Offer(call, a, b, parseSdp(AUDIO), force), { message: t38.T38_UNAVAILABLE });
  t.equal(t38.T38_UNAVAILABLE, 'T.38 gateway unavailable (native addon missing)');
});

t.test('a T.38 flag that does not apply to the line (decode on audio, force on image) needs no gateway and is not refused', async (t) => {
  const t38 = t.mockRequire<typeof T38>('../../../src/call/t38', { '../../../src/native/addon': { loadNative: () => null } });
  const call = new Call('c');
  const a = new Participant('a');
  const b = new Participant('b');
  const plan = t38.planT38Offer(call, a, b, parseSdp(AUDIO), { ...emptyParams(), t38: new Set(['decode']) });
  t.notOk(plan.covers(0), 'the audio line is not translated');
  const plan2 = t38.planT38Offer(call, a, b, parseSdp(IMAGE), { ...emptyParams(), t38: new Set(['force']) });
  t.notOk(plan2.covers(0), 'the image line is not translated');
});
