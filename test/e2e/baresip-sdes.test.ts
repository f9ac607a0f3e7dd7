// baresip (Debian baresip 1.0) as an SDES-SRTP phone through Kamailio into whisperd (issue #12 "Real peers in
// tests"): baresip's account asks for mandatory SRTP (mediaenc=srtp-mand: RTP/SAVP with its a=crypto offer, RFC
// 4568), Kamailio runs the stock examples/kamailio/kamailio-whisperd.cfg in front of whisperd (this process), the
// agent is a SIP UA on 127.0.0.1 that answers plain RTP/AVP and a Phone that streams and measures PCMU. baresip's
// microphone is its ausine module (a 617 Hz sine), what it hears is dumped decoded by its sndfile module
// (dump-*-dec.wav) and measured by signal level, so only audio whisperd encrypted correctly for baresip's key
// counts. Then a supervisor whispers: the agent hears it, baresip (the customer) does not.
// Needs the Debian package baresip (scripts/system-deps.sh); without it the test fails, it never skips.

import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { EXAMPLE_KAMAILIO_CFG, findExecutable, findKamailioModuleDir, freePort, makeTempDir, spawnProc, startKamailio, tail, waitFor } from '../fixtures/e2e/harness';
import { goertzelDb } from '../fixtures/codec/signal';
import { Phone } from '../fixtures/phone';
import { SipUa, header } from '../fixtures/interop/sipUa';
import { F_AGENT, F_CUSTOMER, F_SUPERVISOR, SSRC, peakLevel } from '../fixtures/supervisedCall';
import { levels } from '../fixtures/media';

const HEARD_DB = -30;
const SILENT_DB = -50;

function baresipModuleDir(): string | undefined {
  for (const d of ['/usr/lib/baresip/modules', '/usr/lib/x86_64-linux-gnu/baresip/modules', '/usr/local/lib/baresip/modules']) {
    if (fs.existsSync(path.join(d, 'srtp.so'))) return d;
  }
  return undefined;
}

/** baresip 1.0 configuration: SIP and media on 127.0.0.1, a 617 Hz sine as microphone, ALSA's null device as speaker, SRTP, G.711, sndfile dumps. */
function writeBaresipConfig(dir: string, sipPort: number, moduleDir: string, dumpDir: string): void {
  fs.writeFileSync(
    path.join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${sipPort}`,
      // media on 127.0.0.1 too (baresip 1.0 takes an address here): without it baresip puts the address of its
      // default route's interface in its SDP, and with 'lo' the first global address on lo if there is one
      'net_interface 127.0.0.1',
      'call_local_timeout 30',
      `audio_source ausine,${F_CUSTOMER}`,
      // baresip 1.0's ausine makes 48 kHz stereo only (anything else: ENOTSUP, and the call is closed): the source
      // runs at that rate and baresip resamples it to PCMU's 8 kHz mono
      'ausrc_srate 48000',
      'ausrc_channels 2',
      'audio_player alsa,null',
      'audio_alert alsa,null',
      'audio_buffer 20',
      'rtp_ports 42000-42999',
      'rtcp_mux no',
      'jitter_buffer_delay 1-5',
      `module_path ${moduleDir}`,
      'module g711.so',
      'module ausine.so',
      'module alsa.so',
      'module sndfile.so',
      'module srtp.so',
      'module_tmp account.so',
      'module_app menu.so',
      `snd_path ${dumpDir}`,
      '',
    ].join('\n'),
  );
  // mandatory SDES-SRTP, PCMU only, no registration
  fs.writeFileSync(path.join(dir, 'accounts'), `<sip:customer@127.0.0.1:${sipPort}>;regint=0;mediaenc=srtp-mand;audio_codecs=PCMU\n`);
  fs.writeFileSync(path.join(dir, 'contacts'), '');
}

/** The 16-bit PCM samples of a WAV file written by libsndfile (the data chunk up to the end of the file). */
function wavPcm(file: string): { pcm: Int16Array; rate: number } {
  const b = fs.readFileSync(file);
  let off = 12;
  let rate = 8000;
  while (off + 8 <= b.length) {
    const id = b.toString('latin1', off, off + 4);
    const len = b.readUInt32LE(off + 4);
    if (id === 'fmt ') rate = b.readUInt32LE(off + 12);
    if (id === 'data') {
      const end = Math.min(b.length, off + 8 + (len > 0 && len < b.length ? len : b.length));
      const n = Math.floor((end - off - 8) / 2);
      const pcm = new Int16Array(n);
      for (let i = 0; i < n; i++) pcm[i] = b.readInt16LE(off + 8 + 2 * i);
      return { pcm, rate };
    }
    off += 8 + len + (len & 1);
  }
  return { pcm: new Int16Array(0), rate };
}

const baresip = findExecutable('baresip');
const modDir = baresipModuleDir();
const kamModules = findKamailioModuleDir();
const cannotRun = !baresip
  ? 'baresip is not installed (Debian package baresip, scripts/system-deps.sh)'
  : !modDir
    ? 'baresip modules (srtp.so) not found'
    : !findExecutable('kamailio') || !kamModules
      ? 'kamailio (with rtpengine.so) is not installed'
      : undefined;

t.test('baresip (SDES-SRTP, mediaenc=srtp-mand) calls through Kamailio into whisperd: the plain agent and baresip hear each other, a whisper reaches only the agent', async (t) => {
  if (cannotRun) return void t.fail(`cannot run the baresip interop test: ${cannotRun}`);
  const td = await startTestDaemon();
  const agentUa = await SipUa.open('127.0.0.1');
  const agent = await Phone.open();
  const supervisor = await Phone.open();
  t.teardown(async () => {
    agentUa.close();
    agent.close();
    supervisor.close();
    await td.close();
  });
  const kamPort = await freePort();
  const kam = await startKamailio(t, { sipPort: kamPort, ngPort: td.ngPort, upstreamUri: `sip:127.0.0.1:${agentUa.port}`, cfgFile: EXAMPLE_KAMAILIO_CFG });

  const conf = makeTempDir(t, 'baresip');
  const dumps = makeTempDir(t, 'baresip-dumps');
  writeBaresipConfig(conf, await freePort(), modDir!, dumps);
  const agentAnswered = agentUa.answer(() =>
    ['v=0', 'o=agent 2000 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${agent.port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n'),
  20_000);
  const phone = spawnProc(t, 'baresip', baresip!, ['-f', conf, '-e', `/dial sip:agent@127.0.0.1:${kamPort}`, '-t', '60']);
  t.teardown(() => {
    if (!t.passing()) t.comment(`----- baresip -----\n${tail(phone.output(), 60)}\n----- kamailio -----\n${tail(kam.proc.output(), 40)}`);
  });
  const invite = await agentAnswered;

  // whisperd's call: SRTP toward baresip, plain toward the agent, once the agent's answer has come back through
  // Kamailio (the agent's tag in the call; until then its leg is the RTP/SAVP offer whisperd sent it)
  const callId = header(invite, 'call-id')!;
  const q = await waitFor('whisperd to have the answered call', async () => {
    const r = await td.ng.request({ command: 'query', 'call-id': callId });
    const tags = r.tags as Record<string, unknown> | undefined;
    return r.result === 'ok' && tags?.[agentUa.tag] ? r : undefined;
  }, { timeoutMs: 10_000 });
  const protocols: string[] = JSON.stringify(q.tags).match(/"protocol":"[^"]+"/g) ?? [];
  t.ok(protocols.includes('"protocol":"RTP/SAVP"') && protocols.includes('"protocol":"RTP/AVP"'), `whisperd bridges RTP/SAVP (baresip) and RTP/AVP (agent): ${protocols.join(' ')}`);
  t.match(JSON.stringify(q.tags), /"crypto suite":"(AES_CM_128_HMAC_SHA1_(80|32)|AEAD_AES_(128|256)_GCM)"/, "baresip's leg runs an SRTP suite");

  // the agent streams its tone to whisperd's port from the INVITE it got
  const toWhisperd = Number(/^m=audio (\d+)/m.exec(invite.body)?.[1]);
  agent.start(toWhisperd, { codec: 'pcmu', pt: 0, freq: F_AGENT, dbfs: -12, ssrc: SSRC.agent, dtmfPt: 101 });
  agent.clear();
  await agent.waitPackets(100, 0, 15_000).catch(() => undefined);
  const heardByAgent = agent.decode('pcmu', 0);
  const custLevel = peakLevel(heardByAgent.pcm, heardByAgent.rate, F_CUSTOMER);
  t.ok(custLevel > HEARD_DB, `the agent hears baresip's 617 Hz sine, decrypted by whisperd (${custLevel.toFixed(1)} dBFS; ${agent.count(0)} packets)`);

  // supervisor whispers to the agent
  const sup = await td.ng.request({
    command: 'supervise', 'call-id': callId, 'from-tag': 'sup', supervise: 'whisper', 'agent-tag': agentUa.tag, supervisor: 'alice', agent: 'bob',
    sdp: ['v=0', 'o=sup 3000 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${supervisor.port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n'),
  });
  t.equal(sup.result, 'ok', `supervise whisper accepted (${String(sup['error-reason'] ?? '')})`);
  supervisor.start(Number(/^m=audio (\d+)/m.exec(String(sup.sdp))?.[1]), { codec: 'pcmu', pt: 0, freq: F_SUPERVISOR, dbfs: -12, ssrc: SSRC.supervisor, dtmfPt: 101 });
  agent.clear();
  await agent.waitPackets(100, 0, 15_000).catch(() => undefined);
  const withWhisper = agent.decode('pcmu', 0);
  const supLevel = peakLevel(withWhisper.pcm, withWhisper.rate, F_SUPERVISOR);
  t.ok(supLevel > HEARD_DB, `the agent hears the whisper (${supLevel.toFixed(1)} dBFS)`);

  // baresip's decoded audio (sndfile dump, flushed when baresip ends the call)
  await phone.stop(10_000, 'SIGTERM');
  const dec = fs.readdirSync(dumps).filter((f) => f.endsWith('-dec.wav'));
  t.equal(dec.length, 1, `baresip dumped what it decoded (${dec.join(', ') || 'no dump-*-dec.wav'})`);
  if (dec.length === 1) {
    const { pcm, rate } = wavPcm(path.join(dumps, dec[0]!));
    const agentLevel = peakLevel(pcm, rate, F_AGENT);
    t.ok(agentLevel > HEARD_DB, `baresip hears the agent: whisperd's SRTP decrypted by baresip (${agentLevel.toFixed(1)} dBFS in ${(pcm.length / rate).toFixed(1)} s)`);
    const whole = pcm.length ? levels(pcm, rate, [F_SUPERVISOR], Math.floor((pcm.length * 1000) / rate))[F_SUPERVISOR]! : 0;
    t.ok(whole < SILENT_DB, `baresip (the customer) never hears the whisper (${whole.toFixed(1)} dBFS over the call)`);
    t.ok(goertzelDb(pcm, rate, F_AGENT) > goertzelDb(pcm, rate, F_SUPERVISOR) + 30, 'the agent tone is far above any trace of the supervisor in what baresip heard');
  }
});
