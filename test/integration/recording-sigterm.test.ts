/**
 * SIGTERM to a real whisperd process (src/main.ts run through the test TypeScript loader) with a recorded
 * call: the process exits 0 and leaves the recording complete — WAV header patched to the file size,
 * metadata closed with endReason 'call ended (shutdown)' and the file's SHA-256.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { freePortRange, makeTempDir, ngRequest, spawnSourceWhisperd } from '../fixtures/e2e/harness';
import { phoneSdp, sdpMediaPort } from '../fixtures/daemon';
import { goertzelDb } from '../fixtures/media';
import { Phone } from '../fixtures/phone';

t.test('SIGTERM closes a running recording', async (t) => {
  const dir = makeTempDir(t, 'whisperd-rec-sigterm-');
  const portMin = await freePortRange(20);
  const { proc, ng } = await spawnSourceWhisperd(t, 'whisperd', { portMin, portMax: portMin + 19 }, [`--recording.dir=${dir}`, '--audit.file=']);
  const cust = await Phone.open();
  const agent = await Phone.open();
  t.teardown(() => {
    cust.close();
    agent.close();
  });
  const offer = await ngRequest(ng, { command: 'offer', 'call-id': 'sigterm-1', 'from-tag': 'cust', sdp: phoneSdp(cust.port, { codecs: ['0'] }), 'record call': 'yes' });
  const answer = await ngRequest(ng, { command: 'answer', 'call-id': 'sigterm-1', 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(agent.port, { codecs: ['0'] }) });
  t.equal(offer.result, 'ok');
  t.equal(offer.warning, undefined);
  cust.start(sdpMediaPort(answer.sdp as string), { codec: 'pcmu', pt: 0, freq: 617, dbfs: -12, ssrc: 1 });
  agent.start(sdpMediaPort(offer.sdp as string), { codec: 'pcmu', pt: 0, freq: 1019, dbfs: -12, ssrc: 2 });
  await new Promise((r) => setTimeout(r, 2000));
  proc.child.kill('SIGTERM');
  const st = await proc.exited;
  t.equal(st.code, 0, 'exit 0');
  const json = readdirSync(dir).find((n) => n.startsWith('sigterm-1') && n.endsWith('.json'));
  t.ok(json, 'metadata file');
  const meta = JSON.parse(readFileSync(path.join(dir, json!), 'utf8')) as Record<string, any>;
  t.equal(meta.state, 'closed');
  t.equal(meta.endReason, 'call ended (shutdown)');
  const f = path.join(dir, meta.files[0].name);
  const b = readFileSync(f);
  t.equal(b.readUInt32LE(4), b.length - 8, 'RIFF size');
  t.equal(b.readUInt32LE(40), b.length - 44, 'data size');
  t.equal(meta.files[0].sha256, createHash('sha256').update(b).digest('hex'), 'checksum');
  const n = (b.length - 44) >> 2;
  const left = new Int16Array(n);
  for (let i = 0; i < n; i++) left[i] = b.readInt16LE(44 + i * 4);
  t.ok(goertzelDb(left, 8000, 617, Math.max(0, n - 8000), Math.min(n, 8000)) > -25, 'the customer on the left');
});
