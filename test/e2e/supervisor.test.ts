// End to end supervision with real peers: SIPp "customer" (UAC) calls agent
// extension 2001 through Kamailio 5.6 running
// examples/kamailio/kamailio-whisperd-supervisor.cfg, SIPp "agent" (UAS)
// answers, media anchored in whisperd. Then SIPp "supervisor" (UAC) dials the
// feature code *442001 (whisper); Kamailio finds the agent's call, sends
// whisperd the supervise offer and answers the supervisor with whisperd's SDP.
//
// Every party plays its own tone (customer 2000 Hz, agent 1000 Hz, supervisor
// 1600 Hz; G.711 A-law, 20 ms packets, pcaps generated here). tshark on lo
// captures what whisperd sends to each SIPp media port; Goertzel levels of the
// decoded audio tell who hears whom.
//
// The supervisor part always runs: if supervise fails in any way (an error
// reply, a crash, no media), this test fails. It never skips: `make test`
// installs Kamailio, SIPp and tshark and runs as root; without them the test
// fails and names what is missing.
//
// WHISPERD_E2E_KEEP_TMP=1 keeps the temp dirs (pcaps, scenarios, SIPp logs).

import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import path from 'node:path';
import t from 'tap';
import type { BValue } from '../fixtures/e2e/bencode';
import {
  GiveUp,
  HOST,
  REPO_ROOT,
  formatNgLog,
  freePort,
  freePortRange,
  makeTempDir,
  ngLog,
  ngRequest,
  readIfExists,
  runSippUac,
  startKamailio,
  startSippUas,
  startWhisperd,
  tail,
  waitFor,
  type Proc,
  e2eCannotRun,
} from '../fixtures/e2e/harness';
import {
  UAC_TONE_TEMPLATE,
  UAS_TONE_TEMPLATE,
  analyseTones,
  describeTones,
  instantiateScenario,
  parseRtp,
  startRtpCapture,
  writeTonePcap,
  type RtpPacket,
  type ToneReport,
  type UdpPacket,
} from '../fixtures/e2e/tones';

const SUPERVISOR_CFG = path.join(REPO_ROOT, 'examples', 'kamailio', 'kamailio-whisperd-supervisor.cfg');

const AGENT_EXT = '2001';
// G.711 quantisation turns a tone of f Hz into harmonics at the multiples of
// gcd(f, 8000) (folded at 4 kHz). These three never land on one another where
// it matters: the agent's 1000 Hz makes 2000/3000 Hz, the supervisor's 1600 Hz
// makes 3200 Hz, the customer's 2000 Hz makes 4000 Hz -- so 1600 Hz in the
// customer's ear can only come from the supervisor.
const F_CUSTOMER = 2000;
const F_AGENT = 1000;
const F_SUPERVISOR = 1600;
const FREQS = [F_CUSTOMER, F_AGENT, F_SUPERVISOR];
const TONE_DBFS = -12;

/** A tone someone must hear: at least this level (dBFS; the tones are sent at -12 dBFS). */
const HEARD_DBFS = -30;
/** A tone someone must not hear: at least this far below the tone they do hear. */
const NOT_HEARD_DB = 60;
/** Own voice sent back (echo through the mixer): at least this far below what the party should hear. */
const NO_ECHO_DB = 30;
/** Analysed audio per check: at least this many 200 ms blocks. */
const MIN_BLOCKS = 10;

const SUPERVISOR_HOLD_MS = 10_000;
/** customer call length (covers the supervisor's whole stay) */
const CALL_HOLD_MS = 30_000;

type Dict = { [key: string]: BValue | undefined };
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : undefined);

/** packets whisperd counted from one tag (ng query), or undefined if the tag is not in the call */
function tagPackets(query: Dict, tag: string): number | undefined {
  const tags = query.tags;
  if (!isDict(tags)) return undefined;
  const entry = tags[tag];
  if (!isDict(entry)) return undefined;
  let sum = 0;
  for (const media of Array.isArray(entry.medias) ? entry.medias : []) {
    if (!isDict(media) || !Array.isArray(media.streams)) continue;
    for (const stream of media.streams) {
      if (isDict(stream) && isDict(stream.stats)) sum += num(stream.stats.packets) || 0;
    }
  }
  return sum;
}

function sdpOffer(port: number): string {
  return ['v=0', `o=- 1 1 IN IP4 ${HOST}`, 's=-', `c=IN IP4 ${HOST}`, 't=0 0', `m=audio ${port} RTP/AVP 8`, 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', ''].join('\r\n');
}

/**
 * Send one INVITE with an SDP offer over UDP and return the status line of
 * the first final reply (ACKing it if it is negative), or undefined after
 * timeoutMs.
 */
function inviteFinalStatus(host: string, port: number, user: string, timeoutMs = 5000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    let finished = false;
    const done = (v: string | undefined): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearInterval(retrans);
      sock.close();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    let retrans: NodeJS.Timeout | undefined;
    sock.on('error', () => done(undefined));
    sock.bind(0, HOST, () => {
      const lp = sock.address().port;
      const branch = `z9hG4bK${randomBytes(6).toString('hex')}`;
      const fromTag = randomBytes(4).toString('hex');
      const callId = `${randomBytes(8).toString('hex')}@${HOST}`;
      const head = (method: string, extra: string[], body: string): string =>
        [
          `${method} sip:${user}@${host}:${port} SIP/2.0`,
          `Via: SIP/2.0/UDP ${HOST}:${lp};branch=${branch};rport`,
          'Max-Forwards: 70',
          `From: <sip:alice@${HOST}:${lp}>;tag=${fromTag}`,
          ...extra,
          `Call-ID: ${callId}`,
          `CSeq: 1 ${method}`,
          ...(body ? ['Content-Type: application/sdp'] : []),
          `Content-Length: ${Buffer.byteLength(body)}`,
          '',
          body,
        ].join('\r\n');
      const invite = head('INVITE', [`To: <sip:${user}@${host}:${port}>`, `Contact: <sip:alice@${HOST}:${lp}>`], sdpOffer(40000));
      sock.on('message', (m) => {
        const text = m.toString('utf8');
        const status = /^SIP\/2\.0 (\d{3})[^\r\n]*/.exec(text);
        if (!status || Number(status[1]) < 200) return;
        if (Number(status[1]) >= 300) {
          const to = /^To:[^\r\n]*/im.exec(text)?.[0] ?? `To: <sip:${user}@${host}:${port}>`;
          sock.send(head('ACK', [to], ''), port, host);
        }
        done(status[0]);
      });
      sock.send(invite, port, host);
      retrans = setInterval(() => sock.send(invite, port, host), 500);
    });
  });
}

/** RTP packets whisperd sent to the media ports in `range`, captured in [from, to] (epoch seconds). */
function receivedRtp(packets: UdpPacket[], range: [number, number], from: number, to: number): RtpPacket[] {
  const out: RtpPacket[] = [];
  for (const p of packets) {
    if (p.dstPort < range[0] || p.dstPort > range[1] || p.t < from || p.t > to) continue;
    const rtp = parseRtp(p.payload);
    if (rtp) out.push(rtp);
  }
  return out;
}

/** first and last capture time of packets to `range`, or undefined if none */
function activeSpan(packets: UdpPacket[], range: [number, number]): [number, number] | undefined {
  let first = Infinity;
  let last = -Infinity;
  for (const p of packets) {
    if (p.dstPort < range[0] || p.dstPort > range[1]) continue;
    first = Math.min(first, p.t);
    last = Math.max(last, p.t);
  }
  return first <= last ? [first, last] : undefined;
}

const level = (r: ToneReport, f: number): number => r.levels.get(f) ?? -Infinity;

const cannotRun = e2eCannotRun({ tools: ['kamailio', 'sipp', 'tshark'], debianHint: true, rawSocketsFor: 'SIPp pcap replay and tshark need' });

t.test('supervisor whisper via Kamailio feature code *44 (tones through whisperd)', async (t) => {
  // An end-to-end test that cannot run has not shown that the feature works: fail, never skip.
  if (cannotRun !== undefined) {
    t.fail(`cannot run the end-to-end supervisor test: ${cannotRun}`);
    return;
  }
  const procs: Proc[] = [];
  const ngStart = ngLog.length;
  let kamOutput = (): string => '';
  const sippDirs: string[] = [];
  let captured: UdpPacket[] = [];
  let ngPort = -1;
  // On failure, print what each peer said, the SIPp errors and every ng exchange the test made.
  t.teardown(() => {
    if (t.passing()) return;
    for (const p of procs) t.comment(`----- ${p.name} (pid ${p.pid}) output tail -----\n${tail(p.output(), 80)}`);
    for (const d of sippDirs) t.comment(`----- ${d}/errors.log -----\n${tail(readIfExists(path.join(d, 'errors.log')), 40)}`);
    t.comment(`----- Kamailio ng-related log lines -----\n${kamOutput().split('\n').filter((l) => /supervise|agent |rtpengine|ng /.test(l)).slice(-40).join('\n')}`);
    t.comment(`----- ng exchanges made by the test -----\n${formatNgLog(ngLog.slice(ngStart))}`);
    // every ng datagram but the test's polling (ping/query/list) and its replies
    const ng = captured.filter((p) => p.dstPort === ngPort || p.srcPort === ngPort);
    const cookie = (p: UdpPacket): string => p.payload.toString('latin1').split(' ', 1)[0] ?? '';
    const polling = new Set(ng.filter((p) => p.dstPort === ngPort && /7:command(4:ping|5:query|4:list)/.test(p.payload.toString('latin1'))).map(cookie));
    t.comment(
      `----- ng datagrams on the wire (Kamailio/test <-> whisperd, polling left out) -----\n` +
        ng
          .filter((p) => !polling.has(cookie(p)))
          .map((p) => `${p.dstPort === ngPort ? '>>' : '<<'} ${p.payload.toString('latin1').replace(/\r\n/g, '\\r\\n')}`)
          .join('\n'),
    );
  });

  const daemon = await startWhisperd(t);
  procs.push(daemon.proc);
  ngPort = daemon.ng.port;
  const holdMs = CALL_HOLD_MS;

  // ---- tone pcaps and scenarios
  const dir = makeTempDir(t, 'supervisor');
  const tone = (name: string, freqHz: number, durationMs: number): string => {
    const file = path.join(dir, `${name}-${freqHz}Hz.pcap`);
    writeTonePcap(file, { freqHz, levelDbfs: TONE_DBFS, durationMs });
    return file;
  };
  const customerXml = instantiateScenario(UAC_TONE_TEMPLATE, path.join(dir, 'customer.xml'), {
    pcap: tone('customer', F_CUSTOMER, holdMs + 3000),
    fromUser: 'customer',
  });
  const agentXml = instantiateScenario(UAS_TONE_TEMPLATE, path.join(dir, 'agent.xml'), { pcap: tone('agent', F_AGENT, holdMs + 3000) });
  const supervisorXml = instantiateScenario(UAC_TONE_TEMPLATE, path.join(dir, 'supervisor.xml'), {
    pcap: tone('supervisor', F_SUPERVISOR, SUPERVISOR_HOLD_MS + 3000),
    fromUser: 'alice',
  });

  // ---- Kamailio with the supervisor example, the agent's UAS behind it
  const agentSipPort = await freePort();
  const kamPort = await freePort();
  const kam = await startKamailio(t, {
    sipPort: kamPort,
    ngPort: daemon.ng.port,
    upstreamUri: `sip:${HOST}:${agentSipPort}`,
    cfgFile: SUPERVISOR_CFG,
  });
  procs.push(kam.proc);
  kamOutput = () => kam.proc.output();
  t.pass(`Kamailio with ${path.relative(REPO_ROOT, SUPERVISOR_CFG)} answers OPTIONS on ${HOST}:${kamPort}`);

  // The feature code for an agent who is not in a call is answered 480 by Kamailio.
  const idle = await inviteFinalStatus(HOST, kamPort, `*44${AGENT_EXT}`);
  t.match(idle ?? 'no final reply', /^SIP\/2\.0 480 /, `*44${AGENT_EXT} with no active agent call: ${idle ?? 'no final reply'}`);

  const agent = await startSippUas(t, { sipPort: agentSipPort, calls: 1, scenario: agentXml });
  procs.push(agent.proc);
  sippDirs.push(agent.dir);

  // Media ports of the two UACs are reserved now, so the capture filter can name them.
  const customerMedia = await freePortRange(12);
  const supervisorMedia = await freePortRange(12);
  const ranges = {
    customer: [customerMedia, customerMedia + 11] as [number, number],
    agent: agent.mediaRange,
    supervisor: [supervisorMedia, supervisorMedia + 11] as [number, number],
  };
  // RTP from whisperd to the three SIPp media ranges, plus Kamailio's ng
  // traffic with whisperd (printed if the test fails).
  const filter =
    `udp and ((src portrange ${daemon.portMin}-${daemon.portMax} and (` +
    Object.values(ranges)
      .map(([a, b]) => `dst portrange ${a}-${b}`)
      .join(' or ') +
    `)) or port ${daemon.ng.port})`;
  const capture = await startRtpCapture(t, filter, makeTempDir(t, 'supervisor-capture'));
  procs.push(capture.proc);

  /** One SIPp call through Kamailio to `service`, held `holdMs` (given up `slackS` s after that); tracked for clean-up and the logs. */
  const callThroughKamailio = async (service: string, holdMs: number, scenario: string, mediaBase: number, slackS: number) => {
    const uac = await runSippUac(t, {
      target: `${HOST}:${kamPort}`,
      service,
      calls: 1,
      holdMs,
      scenario,
      mediaBase,
      timeoutS: Math.ceil(holdMs / 1000) + slackS,
    });
    procs.push(uac.proc);
    sippDirs.push(uac.dir);
    return uac;
  };

  // ---- the customer calls the agent
  const customer = await callThroughKamailio(AGENT_EXT, holdMs, customerXml, customerMedia, 90);
  const callId = customer.callId(1);
  const customerTag = customer.fromTag(1);
  const agentTag = agent.toTag(1);

  // Both directions flowing for ~5 s (250 packets each way) before anything
  // else: the two-party analysis below gets at least 3 s of audio.
  const flowing = await waitFor(
    `RTP from customer and agent in whisperd's query of ${callId}`,
    async () => {
      if (customer.proc.exitStatus()) throw new GiveUp('customer SIPp exited early');
      const q = await ngRequest(daemon.ng, { command: 'query', 'call-id': callId });
      return (tagPackets(q, customerTag) ?? 0) >= 250 && (tagPackets(q, agentTag) ?? 0) >= 250 ? q : undefined;
    },
    { timeoutMs: 40_000, intervalMs: 250 },
  ).catch((err: Error) => err);
  if (flowing instanceof Error) {
    t.fail(flowing.message);
    return;
  }
  t.pass(`customer (${customerTag}) and agent (${agentTag}) media flow through whisperd`);
  t.match(kam.proc.output(), `agent ${AGENT_EXT} in call ${callId} (agent tag ${agentTag})`, 'Kamailio indexed the answered call under the agent extension (dialog:start -> htable)');
  const twoPartyUntil = Date.now() / 1000;

  // ---- the supervisor dials *44<ext>
  let supervisorSpan: [number, number] | undefined;
  const supervisor = await callThroughKamailio(`*44${AGENT_EXT}`, SUPERVISOR_HOLD_MS, supervisorXml, supervisorMedia, 60);
  const supTag = supervisor.fromTag(1);
  const joined = await waitFor(
    `the supervisor's tag ${supTag} with RTP in whisperd's query of ${callId}`,
    async () => {
      if (supervisor.proc.exitStatus()) throw new GiveUp('supervisor SIPp exited early');
      const q = await ngRequest(daemon.ng, { command: 'query', 'call-id': callId });
      return (tagPackets(q, supTag) ?? 0) > 0 ? q : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  ).catch((err: Error) => err);
  if (joined instanceof Error) t.fail(joined.message);
  else {
    t.pass('the supervisor joined the agent call in whisperd (its from-tag is a participant of the call)');
    const entry = isDict(joined.tags) ? joined.tags[supTag] : undefined;
    const sup = isDict(entry) && isDict(entry.supervision) ? entry.supervision : {};
    t.same(
      { mode: str(sup.mode), agentTag: str(sup['agent-tag']), customerTag: str(sup['customer-tag']), supervisor: str(sup.supervisor) },
      { mode: 'whisper', agentTag, customerTag, supervisor: 'alice' },
      `whisperd's query shows ${supTag} whispering to the agent (${agentTag}) as alice`,
    );
  }

  const supResult = await supervisor.done;
  t.equal(supResult.code, 0, `supervisor SIPp exit code 0 (got ${supResult.code}, signal ${supResult.signal})`);
  t.equal(supResult.successful, 1, 'supervisor call: 200 OK, ACK, BYE, 200 OK');

  // Its BYE removed only the supervisor: customer and agent remain.
  const after = await waitFor(
    `the supervisor's tag to leave ${callId}`,
    async () => {
      const q = await ngRequest(daemon.ng, { command: 'query', 'call-id': callId });
      return q.result === 'ok' && tagPackets(q, supTag) === undefined ? q : undefined;
    },
    { timeoutMs: 15_000, intervalMs: 250 },
  ).catch((err: Error) => err);
  if (after instanceof Error) t.fail(after.message);
  else {
    const tags = isDict(after.tags) ? Object.keys(after.tags).sort() : [];
    t.same(tags, [customerTag, agentTag].sort(), `after the supervisor's BYE the call has the customer and the agent only (${tags.join(', ')})`);
  }

  // ---- the customer hangs up
  const custResult = await customer.done;
  t.equal(custResult.code, 0, `customer SIPp exit code 0 (got ${custResult.code}, signal ${custResult.signal})`);
  t.equal(custResult.successful, 1, 'customer call completed');
  const agentExit = await waitFor('agent SIPp to exit', () => agent.proc.exitStatus(), { timeoutMs: 20_000 }).catch(() => undefined);
  t.equal(agentExit?.code, 0, 'agent SIPp handled the call and exited 0');
  await waitFor(
    'whisperd to drop the call after the BYE',
    async () => {
      const r = await ngRequest(daemon.ng, { command: 'list' });
      return Array.isArray(r.calls) && r.calls.length === 0;
    },
    { timeoutMs: 15_000 },
  ).then(
    () => t.pass('whisperd has no calls after the BYE'),
    (err: Error) => t.fail(err.message),
  );

  captured = await capture.stopAndRead();
  const packets = captured.filter((p) => p.srcPort >= daemon.portMin && p.srcPort <= daemon.portMax); // media only
  supervisorSpan = activeSpan(packets, ranges.supervisor);
  const customerSpan = activeSpan(packets, ranges.customer);
  t.comment(`captured ${packets.length} packets (RTP from whisperd to the three SIPp media ranges, ng)`);

  // ---- before the supervisor: customer and agent hear each other
  await t.test('two-party call: customer and agent hear each other', async (t) => {
    if (!customerSpan) {
      t.fail('no RTP from whisperd to the customer was captured');
      return;
    }
    const from = customerSpan[0] + 0.5; // skip the jitter buffer's start-up
    const to = twoPartyUntil;
    const atCustomer = analyseTones(receivedRtp(packets, ranges.customer, from, to), FREQS);
    const atAgent = analyseTones(receivedRtp(packets, ranges.agent, from, to), FREQS);
    t.comment(`customer receives: ${describeTones(atCustomer)}`);
    t.comment(`agent receives: ${describeTones(atAgent)}`);
    t.ok(atCustomer.blocks >= MIN_BLOCKS, `customer: ${atCustomer.blocks} analysable blocks >= ${MIN_BLOCKS}`);
    t.ok(atAgent.blocks >= MIN_BLOCKS, `agent: ${atAgent.blocks} analysable blocks >= ${MIN_BLOCKS}`);
    t.ok(level(atCustomer, F_AGENT) >= HEARD_DBFS, `customer hears the agent's ${F_AGENT} Hz (${level(atCustomer, F_AGENT).toFixed(1)} dBFS >= ${HEARD_DBFS})`);
    t.ok(level(atAgent, F_CUSTOMER) >= HEARD_DBFS, `agent hears the customer's ${F_CUSTOMER} Hz (${level(atAgent, F_CUSTOMER).toFixed(1)} dBFS >= ${HEARD_DBFS})`);
    t.ok(
      level(atCustomer, F_CUSTOMER) <= level(atCustomer, F_AGENT) - NO_ECHO_DB,
      `customer does not get its own ${F_CUSTOMER} Hz back (${level(atCustomer, F_CUSTOMER).toFixed(1)} dBFS)`,
    );
    t.ok(level(atAgent, F_AGENT) <= level(atAgent, F_CUSTOMER) - NO_ECHO_DB, `agent does not get its own ${F_AGENT} Hz back (${level(atAgent, F_AGENT).toFixed(1)} dBFS)`);
  });

  // ---- whisper: who hears whom while the supervisor is in the call
  await t.test('whisper: agent hears customer + supervisor, customer never hears the supervisor, supervisor hears both', async (t) => {
    if (!supervisorSpan) {
      t.fail('no RTP from whisperd to the supervisor was captured');
      return;
    }
    // the supervisor's whole stay, less its first second (joining) and the last half second (leaving)
    const from = supervisorSpan[0] + 1;
    const to = supervisorSpan[1] - 0.5;
    const atCustomer = analyseTones(receivedRtp(packets, ranges.customer, from, to), FREQS);
    const atAgent = analyseTones(receivedRtp(packets, ranges.agent, from, to), FREQS);
    const atSupervisor = analyseTones(receivedRtp(packets, ranges.supervisor, from, to), FREQS);
    t.comment(`window ${(to - from).toFixed(1)} s`);
    t.comment(`customer receives: ${describeTones(atCustomer)}`);
    t.comment(`agent receives: ${describeTones(atAgent)}`);
    t.comment(`supervisor receives: ${describeTones(atSupervisor)}`);
    for (const [who, r] of [
      ['customer', atCustomer],
      ['agent', atAgent],
      ['supervisor', atSupervisor],
    ] as const) {
      t.ok(r.blocks >= MIN_BLOCKS, `${who}: ${r.blocks} analysable blocks >= ${MIN_BLOCKS}`);
    }
    const heard = (r: ToneReport, f: number, what: string): void => {
      t.ok(level(r, f) >= HEARD_DBFS, `${what} (${level(r, f).toFixed(1)} dBFS >= ${HEARD_DBFS})`);
    };
    heard(atAgent, F_CUSTOMER, `agent hears the customer (${F_CUSTOMER} Hz)`);
    heard(atAgent, F_SUPERVISOR, `agent hears the supervisor's whisper (${F_SUPERVISOR} Hz)`);
    heard(atCustomer, F_AGENT, `customer hears the agent (${F_AGENT} Hz)`);
    const leak = level(atCustomer, F_AGENT) - level(atCustomer, F_SUPERVISOR);
    t.ok(
      leak >= NOT_HEARD_DB,
      `customer never hears the supervisor: ${F_SUPERVISOR} Hz is ${leak.toFixed(1)} dB below the agent's tone (>= ${NOT_HEARD_DB}; worst 200 ms block ${(atCustomer.peaks.get(F_SUPERVISOR) ?? -Infinity).toFixed(1)} dBFS)`,
    );
    heard(atSupervisor, F_CUSTOMER, `supervisor hears the customer (${F_CUSTOMER} Hz)`);
    heard(atSupervisor, F_AGENT, `supervisor hears the agent (${F_AGENT} Hz)`);
    t.ok(
      level(atSupervisor, F_SUPERVISOR) <= Math.min(level(atSupervisor, F_CUSTOMER), level(atSupervisor, F_AGENT)) - NO_ECHO_DB,
      `supervisor does not get its own voice back (${level(atSupervisor, F_SUPERVISOR).toFixed(1)} dBFS)`,
    );
    t.ok(
      level(atAgent, F_AGENT) <= level(atAgent, F_CUSTOMER) - NO_ECHO_DB,
      `agent does not get its own voice back (${level(atAgent, F_AGENT).toFixed(1)} dBFS)`,
    );
  });

  // ---- Kamailio's side of the supervision
  {
    t.match(kam.proc.output(), `supervise: alice whisper ${AGENT_EXT} in call-id=${callId}`, 'Kamailio sent the supervise offer for the agent call');
    t.match(kam.proc.output(), `supervise: alice left call-id=${callId}`, "Kamailio turned the supervisor's BYE into an ng delete of the supervisor only");
  }
});
