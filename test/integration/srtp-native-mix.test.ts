/**
 * Issue 12: a whisper on a native mix (media thread) where the agent's leg is SDES-SRTP. The agent's
 * phone reaches whisperd through an SRTP gateway on real UDP (it protects what the phone sends with
 * the agent's key and unprotects what whisperd sends with whisperd's key, so what the phone's sound card
 * plays is what the mix sent): the media thread decrypts the agent's packets before the mix and
 * encrypts the mix's output to the agent. Whisper matrix as test/integration/native-mix-thread.test.ts:
 * the agent hears the customer and the supervisor, the customer hears the agent and never the
 * supervisor (Goertzel levels); every packet the agent's leg received from whisperd authenticated.
 */
import dgram from 'node:dgram';
import t from 'tap';
import { loadNative } from '../../src/native/addon';
import { enableNativeRelay, openEndpoint } from '../../src/media/openEndpoint';
import { PortPool } from '../../src/media/PortPool';
import { nativeRelayApi, setMediaThreads, stopMediaThreads } from '../../src/media/nativeRelay';
import type { RtpEndpoint } from '../../src/media/RtpEndpoint';
import type { SrtpKey } from '../../src/media/secure';
import { SrtpContext } from '../../src/media/srtp';
import { levels, presence } from '../fixtures/media';
import { openPhones, waitFor } from '../fixtures/phone';
import { randomPortRange } from '../fixtures/daemon';
import { AGENT, createWhisperMix, CUSTOMER, F_AGENT, F_CUSTOMER, F_SUPERVISOR, SUPERVISOR } from '../fixtures/native/whisperMix';

const api = nativeRelayApi();
const native = loadNative();

function keys(suite: SrtpKey['suite']): { party: SrtpKey; whisperd: SrtpKey } {
  const gcm = suite.startsWith('AEAD');
  const kl = suite.includes('256') ? 32 : 16;
  const sl = gcm ? 12 : 14;
  return {
    party: { suite, masterKey: Buffer.alloc(kl, 0x61), masterSalt: Buffer.alloc(sl, 0x62) },
    whisperd: { suite, masterKey: Buffer.alloc(kl, 0x71), masterSalt: Buffer.alloc(sl, 0x72) },
  };
}

/** A party's SRTP gateway: phone <-> (plain) gw (SRTP) <-> whisperd. */
class SrtpGateway {
  readonly sock = dgram.createSocket('udp4');
  readonly tx: SrtpContext;
  readonly rx: SrtpContext;
  constructor(k: { party: SrtpKey; whisperd: SrtpKey }) {
    this.tx = SrtpContext.create(k.party);
    this.rx = SrtpContext.create(k.whisperd);
  }
  readonly buf = Buffer.alloc(4096);
  fromWhisperd = 0;
  authFailures = 0;
  plainLooking = 0;
  whisperdPort = 0;
  phonePort = 0;
  async open(): Promise<number> {
    await new Promise<void>((r) => this.sock.bind(0, '127.0.0.1', r));
    this.sock.on('message', (m, rinfo) => {
      if (rinfo.port === this.phonePort) {
        m.copy(this.buf);
        const n = this.tx.protect(this.buf, m.length, false);
        if (n > 0 && this.whisperdPort !== 0) this.sock.send(this.buf.subarray(0, n), this.whisperdPort, '127.0.0.1');
        return;
      }
      this.fromWhisperd++;
      m.copy(this.buf);
      const n = this.rx.unprotect(this.buf, m.length, false);
      if (n < 0) {
        this.authFailures++;
        return;
      }
      this.sock.send(Buffer.from(this.buf.subarray(0, n)), this.phonePort, '127.0.0.1');
    });
    return this.sock.address().port;
  }
  close(): void {
    this.sock.close();
    this.tx.destroy();
    this.rx.destroy();
  }
}

if (api === null || api.mix === null || native === null || !native.mixCreate) {
  t.fail('native mixes unavailable: the addon must be built (make native)');
} else {
  const mixApi = api.mix;
  const n = native as Required<typeof native>;

  const CASES: Array<['agent' | 'customer', SrtpKey['suite']]> = [
    ['agent', 'AES_CM_128_HMAC_SHA1_80'],
    ['customer', 'AEAD_AES_256_GCM'],
  ];
  for (const [leg, suite] of CASES) t.test(`whisper on a native mix with an SRTP ${leg} leg (${suite}): decrypted into the mix, the mix output encrypted to the ${leg}`, async (t) => {
    const [customer, agent, supervisor] = await openPhones(t, 3);
    setMediaThreads(2);
    t.equal(mixApi.ensureThreads(), 2, 'two media threads run');
    const k = keys(suite);
    const gw = new SrtpGateway(k);
    const gwPort = await gw.open();
    const secPhone = leg === 'agent' ? agent! : customer!;
    gw.phonePort = secPhone.port;
    const { portMin, portMax } = randomPortRange(40);
    const pool = new PortPool(portMin, portMax);
    enableNativeRelay(pool, true);
    const eps: RtpEndpoint[] = [];
    let m: ReturnType<NonNullable<typeof native.mixCreate>> | null = null;
    t.teardown(() => {
      for (const e of eps) {
        e.detachNativeMix();
        e.close();
      }
      if (m !== null) n.mixClose(m);
      gw.close();
      stopMediaThreads();
    });
    const eC = await openEndpoint(pool, '127.0.0.1');
    const eA = await openEndpoint(pool, '127.0.0.1');
    const eS = await openEndpoint(pool, '127.0.0.1');
    eps.push(eC, eA, eS);
    const eSec = leg === 'agent' ? eA : eC;
    eC.setSdpRemote('127.0.0.1', leg === 'customer' ? gwPort : customer!.port, (leg === 'customer' ? gwPort : customer!.port) + 1);
    eA.setSdpRemote('127.0.0.1', leg === 'agent' ? gwPort : agent!.port, (leg === 'agent' ? gwPort : agent!.port) + 1);
    eS.setSdpRemote('127.0.0.1', supervisor!.port, supervisor!.port + 1);
    eSec.setSrtp({ rx: k.party, tx: k.whisperd });
    gw.whisperdPort = eSec.localPort;

    m = createWhisperMix(t, n);
    const thread = n.mixThreadOf(m);
    t.equal(eC.attachNativeMix(m, CUSTOMER, AGENT), true, 'customer attached');
    t.equal(eA.attachNativeMix(m, AGENT, CUSTOMER), true, 'agent attached');
    t.equal(eS.attachNativeMix(m, SUPERVISOR), true, 'supervisor attached');
    t.same([eC.mediaThread, eA.mediaThread, eS.mediaThread], [thread, thread, thread], 'all three legs on the mix\'s thread');

    customer!.startTone(leg === 'customer' ? gwPort : eC.localPort, F_CUSTOMER, 0, -12, 0xc);
    agent!.startTone(leg === 'agent' ? gwPort : eA.localPort, F_AGENT, 0, -12, 0xa);
    supervisor!.startTone(eS.localPort, F_SUPERVISOR, 0, -12, 0x5);
    await waitFor(() => agent!.heardSamples >= 16000 && customer!.heardSamples >= 16000 && supervisor!.heardSamples >= 16000, '2 s heard by each phone', 15000);

    const pa = presence(agent!.heard(), 8000, [F_CUSTOMER, F_SUPERVISOR]);
    const la = levels(agent!.heard(), 8000, [F_AGENT]);
    t.ok(pa[F_CUSTOMER]! > -30, `the agent hears the customer (${pa[F_CUSTOMER]!.toFixed(1)} dB)`);
    t.ok(pa[F_SUPERVISOR]! > -30, `the agent hears the supervisor's whisper (${pa[F_SUPERVISOR]!.toFixed(1)} dB)`);
    t.ok(la[F_AGENT]! < -50, `the agent does not hear itself (${la[F_AGENT]!.toFixed(1)} dB)`);
    const pc = presence(customer!.heard(), 8000, [F_AGENT]);
    const lc = levels(customer!.heard(), 8000, [F_SUPERVISOR], 2000);
    t.ok(pc[F_AGENT]! > -30, `the customer hears the agent (${pc[F_AGENT]!.toFixed(1)} dB)`);
    t.ok(lc[F_SUPERVISOR]! < -50, `the customer never hears the supervisor (${lc[F_SUPERVISOR]!.toFixed(1)} dB)`);
    const ps = presence(supervisor!.heard(), 8000, [F_AGENT]);
    t.ok(ps[F_AGENT]! > -30, `the supervisor hears the agent (${ps[F_AGENT]!.toFixed(1)} dB)`);
    t.ok(gw.fromWhisperd >= 100, `the ${leg} leg received the mix output through SRTP (${gw.fromWhisperd} packets)`);
    t.equal(gw.authFailures, 0, `every packet whisperd sent the ${leg} authenticated with whisperd's key`);
    const st = eSec.srtpStats;
    t.ok(st.decrypted >= 100 && st.encrypted >= 100, `the endpoint decrypted ${st.decrypted} and encrypted ${st.encrypted}`);
    t.equal(st.authFailures, 0);
    customer!.stop();
    agent!.stop();
    supervisor!.stop();
  });
}

