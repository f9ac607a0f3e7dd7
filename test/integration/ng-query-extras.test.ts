/**
 * ng `query` builds its own per-participant extras (role, jitter, supervision) from the domain objects;
 * the HTTP module registers nothing on the ng side (issue 9 §4). So an ng server whose command context
 * holds only what ng needs — no HTTP API anywhere — answers `query` with the extras, over real UDP.
 */
import t from 'tap';
import pino from 'pino';
import type { NgDict } from '../../src/control/ng/bencode';
import type { CommandContext } from '../../src/control/ng/commands/context';
import { createDispatcher } from '../../src/control/ng/dispatch';
import { NgServer } from '../../src/control/ng/NgServer';
import { NgClient, startTestDaemon } from '../fixtures/daemon';
import { closeAll, collect, startAll, supervisedCall } from '../fixtures/supervisedCall';

t.test('an ng-only command context answers query with role, jitter and supervision', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const c = await supervisedCall(td, 'extras-1', 'whisper');
  t.teardown(() => closeAll(c));
  startAll(c);
  await collect(c, 25, ['agent']);

  // The ng side alone: the daemon's domain objects, no HTTP registration involved.
  const d = td.daemon;
  const base = d.commands;
  const ctx = {
    config: base.config,
    registry: d.registry,
    pool: d.pool,
    signalling: base.signalling,
    log: base.log,
    startedMs: base.startedMs,
    commandCounts: new Map(),
    supervision: d.supervision,
    engine: d.engine,
    promptFiles: base.promptFiles,
  } as CommandContext;
  const server = new NgServer({
    host: '127.0.0.1',
    port: 0,
    cookieCacheSeconds: 60,
    maxDatagramBytes: 65535,
    handler: createDispatcher(ctx),
    logger: pino({ level: 'silent' }),
  });
  await server.start();
  t.teardown(() => server.close());
  const ng = await NgClient.open(server.port);
  t.teardown(() => ng.close());

  const q = await ng.request({ command: 'query', 'call-id': 'extras-1' });
  t.equal(q.result, 'ok');
  const tags = q.tags as Record<string, NgDict>;
  t.equal(tags.cust!.role, 'customer');
  t.equal(tags.agent!.role, 'agent');
  t.equal(tags.sup!.role, 'supervisor');
  t.same(tags.agent!.supervision, { 'supervised-by': ['sup'] });
  t.match(tags.sup!.supervision, { mode: 'whisper', 'agent-tag': 'agent', 'customer-tag': 'cust', supervisor: 'alice', agent: 'bob', muted: 0 });
  const jitter = tags.sup!.jitter as NgDict;
  t.ok(jitter, "the supervisor's jitter buffer is reported");
  t.ok((jitter.packetsReceived as number) > 0, `packetsReceived ${String(jitter.packetsReceived)}`);
  t.ok('jitterBufferDelayMs' in jitter, 'delay sums in milliseconds');

  // The daemon's own ng server answers the same keys (exactly once: nothing registered twice).
  const q2 = await td.ng.request({ command: 'query', 'call-id': 'extras-1' });
  t.same(Object.keys((q2.tags as Record<string, NgDict>).sup!).sort(), Object.keys(tags.sup!).sort());
  // delete carries the extras too.
  const del = await ng.request({ command: 'delete', 'call-id': 'extras-1', 'from-tag': 'cust' });
  t.equal(((del.tags as Record<string, NgDict>).agent as NgDict).role, 'agent');
});
