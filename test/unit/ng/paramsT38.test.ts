/**
 * ng `T.38` options as rtpengine 10.5 reads them (call_interfaces.c ng_t38_option): the `T.38` (also
 * `t38`) list and the `T38-X` / `T.38-X` flags, any case, spaces as hyphens, V.17-style dots dropped.
 */
import t from 'tap';
import { normaliseParams } from '../../../src/control/ng/params';

t.test('the T.38 list: options normalised (decode, no-ECM -> no-ecm, no-V.17 -> no-v17, FEC -> fec)', async (t) => {
  const { params, unknownKeys } = normaliseParams({ 'T.38': ['decode', 'no-ECM', 'no-V.17', 'no V.27ter', 'FEC'] });
  t.same([...(params.t38 ?? [])], ['decode', 'no-ecm', 'no-v17', 'no-v27ter', 'fec']);
  t.same(unknownKeys, []);
});

t.test('spelling t38 and a single string are accepted', async (t) => {
  t.same([...(normaliseParams({ t38: 'force' }).params.t38 ?? [])], ['force']);
});

t.test('flags T38-X and T.38-X go to the T.38 options, not to flags', async (t) => {
  const { params } = normaliseParams({ flags: ['T38-force', 'T.38-no-IAF', 'trust-address'] });
  t.same([...(params.t38 ?? [])], ['force', 'no-iaf']);
  t.same([...params.flags], ['trust-address']);
});

t.test('no T.38 key: no options', async (t) => {
  t.equal(normaliseParams({ flags: ['trust-address'] }).params.t38, undefined);
});
