import t from 'tap';
import { applyCodecOps, parseCodecSpec, type CodecOps, type Payload } from '../../../src/sdp/index';

const P = (pt: number, encoding: string, clockRate = 8000, channels = 1, fmtp: string | null = null): Payload => ({ pt, encoding, clockRate, channels, fmtp });
const PCMU = P(0, 'PCMU');
const PCMA = P(8, 'PCMA');
const G729 = P(18, 'G729', 8000, 1, 'annexb=no');
const TE = P(101, 'telephone-event', 8000, 1, '0-15');
const CN = P(13, 'CN');
const OPUS = P(111, 'opus', 48000, 2, 'useinbandfec=1');

const ops = (o: Partial<CodecOps>): CodecOps => ({ strip: [], offer: [], transcode: [], mask: [], except: [], ...o });
const all = (): boolean => true;
const only = (...names: string[]) => (e: string): boolean => names.map((n) => n.toLowerCase()).includes(e.toLowerCase());
/** Compact "pt:name/rate[/ch]" rendering for readable expectations. */
const show = (ps: Payload[]): string[] => ps.map((p) => `${p.pt}:${p.encoding}/${p.clockRate}${p.channels !== 1 ? `/${p.channels}` : ''}`);

t.test('no ops: everything passes through', async (t) => {
  const r = applyCodecOps([PCMU, PCMA, TE], ops({}), all);
  t.same(r, { advertise: [PCMU, PCMA, TE], usable: [PCMU, PCMA, TE], transcodeAdded: [] });
});

t.test('strip PCMA (case-insensitive): gone from both sides', async (t) => {
  const r = applyCodecOps([PCMU, PCMA, TE], ops({ strip: ['pcma'] }), all);
  t.same(show(r.advertise), ['0:PCMU/8000', '101:telephone-event/8000']);
  t.same(show(r.usable), ['0:PCMU/8000', '101:telephone-event/8000']);
  t.same(r.transcodeAdded, []);
});

t.test('strip by payload type number', async (t) => {
  t.same(show(applyCodecOps([PCMU, PCMA, TE], ops({ strip: ['0'] }), all).advertise), ['8:PCMA/8000', '101:telephone-event/8000']);
});

t.test('strip with parameters only strips the matching instance', async (t) => {
  const mono = P(96, 'opus', 48000, 1);
  t.same(show(applyCodecOps([OPUS, mono, PCMU], ops({ strip: ['opus/48000/2'] }), all).advertise), ['96:opus/48000', '0:PCMU/8000']);
  t.same(show(applyCodecOps([OPUS, mono, PCMU], ops({ strip: ['opus/16000'] }), all).advertise), ['111:opus/48000/2', '96:opus/48000', '0:PCMU/8000']);
});

t.test('transcode opus onto a PCMU-only offer: opus/48000/2 on the first free dynamic PT', async (t) => {
  const r = applyCodecOps([PCMU, TE], ops({ transcode: ['opus'] }), all);
  t.same(show(r.advertise), ['0:PCMU/8000', '101:telephone-event/8000', '96:opus/48000/2']);
  t.same(r.transcodeAdded, [P(96, 'opus', 48000, 2)]);
  t.same(r.usable, [PCMU, TE]);
});

t.test('transcode skips dynamic PTs already in use and takes static PTs when free', async (t) => {
  const used = [P(96, 'AMR'), P(97, 'iLBC'), PCMU];
  const r = applyCodecOps(used, ops({ transcode: ['opus', 'G729', 'PCMA/8000'] }), all);
  t.same(show(r.transcodeAdded), ['98:opus/48000/2', '18:G729/8000', '8:PCMA/8000']);
});

t.test('transcode of a codec that is already offered does nothing', async (t) => {
  const r = applyCodecOps([PCMU, PCMA], ops({ transcode: ['PCMA'] }), all);
  t.same(r, { advertise: [PCMU, PCMA], usable: [PCMU, PCMA], transcodeAdded: [] });
});

t.test('transcode of an unsupported codec does nothing', async (t) => {
  const r = applyCodecOps([PCMU], ops({ transcode: ['AMR-WB'] }), only('PCMU', 'opus'));
  t.same(r.advertise, [PCMU]);
  t.same(r.transcodeAdded, []);
});

t.test('transcoding drops codecs whisperd cannot handle from the outgoing list (not telephone-event)', async (t) => {
  const r = applyCodecOps([P(9, 'G722'), PCMU, TE], ops({ transcode: ['opus'] }), only('PCMU', 'opus'));
  t.same(show(r.advertise), ['0:PCMU/8000', '101:telephone-event/8000', '96:opus/48000/2']);
  t.same(show(r.usable), ['9:G722/8000', '0:PCMU/8000', '101:telephone-event/8000']);
});

t.test('mask PCMU + transcode opus: advertise opus only, PCMU still usable on this side', async (t) => {
  const r = applyCodecOps([PCMU, TE], ops({ mask: ['PCMU'], transcode: ['opus'] }), all);
  t.same(show(r.advertise), ['101:telephone-event/8000', '96:opus/48000/2']);
  t.same(r.usable, [PCMU, TE]);
  t.same(show(r.transcodeAdded), ['96:opus/48000/2']);
});

t.test('mask alone: removed from the advertised list, kept usable', async (t) => {
  const r = applyCodecOps([PCMU, PCMA, TE], ops({ mask: ['PCMA'] }), all);
  t.same(r.advertise, [PCMU, TE]);
  t.same(r.usable, [PCMU, PCMA, TE]);
});

t.test('strip all + offer: only the listed codecs, in the listed order; telephone-event survives "all"', async (t) => {
  const r = applyCodecOps([PCMU, PCMA, G729, TE], ops({ strip: ['all'], offer: ['PCMA', 'PCMU'] }), all);
  t.same(r.advertise, [PCMA, PCMU, TE]);
  t.same(r.usable, [PCMU, PCMA, TE]);
});

t.test('offer alone reorders without stripping (rtpengine: "identical to except" + order)', async (t) => {
  const r = applyCodecOps([PCMU, PCMA, G729, TE], ops({ offer: ['G729'] }), all);
  t.same(r.advertise, [G729, PCMU, PCMA, TE]);
});

t.test('strip all + except keeps the original order', async (t) => {
  const r = applyCodecOps([PCMU, PCMA, G729, CN], ops({ strip: ['all'], except: ['G729', 'PCMU'] }), all);
  t.same(r.advertise, [PCMU, G729, CN]);
});

t.test('telephone-event and CN are removed when named', async (t) => {
  const r = applyCodecOps([PCMU, CN, TE], ops({ strip: ['telephone-event', 'CN'] }), all);
  t.same(r.advertise, [PCMU]);
});

t.test('stripping every real codec leaves the original list unchanged', async (t) => {
  const r = applyCodecOps([PCMU, PCMA, TE], ops({ strip: ['all'] }), all);
  t.same(r, { advertise: [PCMU, PCMA, TE], usable: [PCMU, PCMA, TE], transcodeAdded: [] });
  const r2 = applyCodecOps([PCMU], ops({ strip: ['PCMU'] }), all);
  t.same(r2.advertise, [PCMU]);
});

t.test('strip all + transcode of an offered codec restores it without transcoding', async (t) => {
  const r = applyCodecOps([PCMU, PCMA, TE], ops({ strip: ['all'], transcode: ['PCMA'] }), all);
  t.same(r.advertise, [PCMA, TE]);
  t.same(r.transcodeAdded, []);
});

t.test('strip full + transcode of an offered codec inserts a new transcoded instance', async (t) => {
  const r = applyCodecOps([PCMU, PCMA, TE], ops({ strip: ['full'], transcode: ['PCMA'] }), all);
  t.same(show(r.advertise), ['101:telephone-event/8000', '96:PCMA/8000']);
  t.same(show(r.transcodeAdded), ['96:PCMA/8000']);
});

t.test('explicit strip + transcode of the same codec inserts a new instance', async (t) => {
  const r = applyCodecOps([PCMU, PCMA], ops({ strip: ['PCMU'], transcode: ['PCMU'] }), all);
  t.same(show(r.advertise), ['8:PCMA/8000', '96:PCMU/8000']);
  t.same(show(r.usable), ['8:PCMA/8000']);
});

t.test('mask all + transcode G729 onto PCMU/opus', async (t) => {
  const r = applyCodecOps([OPUS, PCMU, TE], ops({ mask: ['all'], transcode: ['G729'] }), all);
  t.same(show(r.advertise), ['101:telephone-event/8000', '18:G729/8000']);
  t.same(r.usable, [OPUS, PCMU, TE]);
});

t.test('transcode spec with parameters and fmtp', async (t) => {
  const r = applyCodecOps([PCMU], ops({ transcode: ['opus/48000/1/32000//useinbandfec--1'] }), all);
  t.same(r.transcodeAdded, [P(96, 'opus', 48000, 1, 'useinbandfec=1')]);
  t.same(applyCodecOps([PCMU], ops({ transcode: ['telephone-event'] }), all).transcodeAdded, [P(96, 'telephone-event', 8000, 1, '0-15')]);
});

t.test('parseCodecSpec', async (t) => {
  t.same(parseCodecSpec('opus/48000/2/32000'), { name: 'opus', pt: null, clockRate: 48000, channels: 2, fmtp: null });
  t.same(parseCodecSpec('PCMU'), { name: 'PCMU', pt: null, clockRate: null, channels: null, fmtp: null });
  t.same(parseCodecSpec('8'), { name: null, pt: 8, clockRate: null, channels: null, fmtp: null });
  t.equal(parseCodecSpec(''), null);
  t.equal(parseCodecSpec('300'), null);
  t.equal(parseCodecSpec('/8000'), null);
});
