import t from 'tap';
import { readJsonLines } from '../fixtures/supervision/auditFs';
import { attachSupervisor, auditedTwoPartyCall } from '../fixtures/supervisedCall';

/**
 * D11: deleting a supervised call is answered only after the supervisor's `stop` record is
 * fdatasync'ed (README: audit records are durable before the command is answered). The fdatasync of
 * the stop record is held back; the daemon keeps answering other commands (a ping) meanwhile, but not
 * the delete; once the sync completes, the delete is answered, and the stop record is on file.
 */
t.test('delete of a supervised call waits for the stop record', async (t) => {
  const { file, td, spy, c } = await auditedTwoPartyCall(t, 'd11');
  const sup = await attachSupervisor(td, 'd11', 'whisper', c.peers.supervisor.port);
  t.equal(sup.result, 'ok', 'supervisor attached');

  const order: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let syncStarted!: () => void;
  const started = new Promise<void>((r) => (syncStarted = r));
  spy.gate = () => {
    syncStarted();
    return held;
  };
  spy.after = () => order.push('synced');

  const del = td.ng.request({ command: 'delete', 'call-id': 'd11', 'from-tag': 'cust' }).then((r) => {
    order.push('reply');
    return r;
  });
  await started; // the stop record's fdatasync is in progress
  const pong = await td.ng.request({ command: 'ping' });
  t.equal(pong.result, 'pong', 'the daemon answers other commands meanwhile');
  t.same(order, [], 'the delete is not answered while the stop record is not durable');
  release();
  const r = await del;
  t.equal(r.result, 'ok', 'delete ok');
  t.same(order, ['synced', 'reply'], 'answered after the fdatasync');
  const stops = readJsonLines(file).filter((x) => x.event === 'stop' && x.callId === 'd11');
  t.equal(stops.length, 1, 'one stop record on file');
  t.equal(stops[0]?.supervisorTag, 'sup', 'for the supervisor');
});
