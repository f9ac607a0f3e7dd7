/**
 * Issue 9 §4 "never-read counters": the jitter buffers' own counters (duplicates, SSRC changes,
 * resyncs, …) were kept but never reached /metrics. A supervisor that sends every packet twice and
 * then changes SSRC must show up in whisperd_jitter_packets_duplicated_total and
 * whisperd_jitter_ssrc_changes_total. Real UDP, in-process daemon.
 */
import t from 'tap';
import { metricSample as metric, rawSupervisedCall, sleep, startTestDaemon } from '../fixtures/daemon';

t.test('jitter-buffer duplicates and SSRC changes are exported', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const { supervisor, toSupervisor: toSup, close } = await rawSupervisedCall(td, 'jc', 'whisper');
  t.teardown(close);
  const dup0 = (await metric(td, 'whisperd_jitter_packets_duplicated_total')) ?? 0;
  const ssrc0 = (await metric(td, 'whisperd_jitter_ssrc_changes_total')) ?? 0;
  for (let i = 0; i < 10; i++) {
    supervisor.sendRtp(toSup, 100 + i, 0x5050);
    supervisor.sendRtp(toSup, 100 + i, 0x5050); // the same packet again
    await sleep(20);
  }
  for (let i = 0; i < 5; i++) {
    supervisor.sendRtp(toSup, 9000 + i, 0x6060); // a new SSRC
    await sleep(20);
  }
  const deadline = Date.now() + 5000;
  let dup: number | undefined;
  let ssrc: number | undefined;
  do {
    await sleep(50);
    dup = await metric(td, 'whisperd_jitter_packets_duplicated_total');
    ssrc = await metric(td, 'whisperd_jitter_ssrc_changes_total');
  } while ((dup === undefined || dup - dup0 < 10 || ssrc === undefined || ssrc - ssrc0 < 1) && Date.now() < deadline);
  t.equal(dup === undefined ? undefined : dup - dup0, 10, 'the 10 repeated packets are counted as duplicates');
  t.equal(ssrc === undefined ? undefined : ssrc - ssrc0, 1, 'one SSRC change');
  t.not(await metric(td, 'whisperd_jitter_resyncs_total'), undefined, 'resyncs exported');
  t.not(await metric(td, 'whisperd_jitter_decode_errors_total'), undefined, 'decode errors exported');
  const text = await (await fetch(`http://127.0.0.1:${td.httpPort}/metrics`)).text();
  t.match(text, /^whisperd_mixer_frames_total\{kind="encode_error"\} 0$/m, 'encoder refusals exported (none here)');
  t.match(text, /^whisperd_mixer_frames_total\{kind="skipped"\} \d+$/m, 'frames skipped after a stall exported');
});
