/**
 * The native addon is part of the product: `make test` builds it (with its build dependencies
 * installed), so a missing addon, or one that does not load or has another shape, FAILS here (and
 * every test that needs it fails too, rather than skipping).
 */
import t from 'tap';
import { NATIVE_ABI_VERSION, defaultNativeLoader, isWhisperdNative, loadNative } from '../../../src/native/addon';
import { findCodec } from '../../../src/codec/registry';
import { nativeRelayApi } from '../../../src/media/nativeRelay';

t.test('the addon loads with the ABI version and exports src/ expects', async (t) => {
  let m: unknown;
  try {
    m = defaultNativeLoader();
  } catch (err) {
    t.fail(`native addon does not load: ${(err as Error).message.split('\n')[0]} (build it: make native)`);
    return;
  }
  t.equal((m as { abiVersion?: unknown }).abiVersion, NATIVE_ABI_VERSION, `abiVersion ${NATIVE_ABI_VERSION}`);
  t.ok(isWhisperdNative(m), 'every required export is a function');
  t.not(loadNative(), null, 'loadNative() returns the addon');
});

t.test('what the addon brings is available', async (t) => {
  t.not(findCodec('G729', 8000), null, 'G.729 is in the codec table');
  const relay = nativeRelayApi();
  t.not(relay, null, 'the native relay API is available');
  t.equal(relay?.live(), 0, 'no native relay endpoint is open in a fresh process');
});
