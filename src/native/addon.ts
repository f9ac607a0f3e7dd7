/**
 * The single loader of the `whisperd_native` addon (native/, see native/README.md). Everything that
 * needs G.729, the speexdsp resampler, the echo canceller (src/codec/) or the native relay
 * (src/media/nativeRelay.ts) gets the addon from here.
 *
 * Contract: `loadNative()` returns the addon, or null if it is missing or cannot be loaded (not built,
 * libbcg729/libspeexdsp absent, ABI mismatch). The reason is logged once ("G.729 unavailable: ...");
 * whisperd then runs without G.729, with the pure-TS resampler and relays in JS. It never throws.
 * The loader is injectable (`loadNativeWith`) so tests can simulate a missing addon.
 */
import fs from 'node:fs';
import path from 'node:path';
import { logger } from '../log';
import type { WhisperdNative } from '../../native/index';

export type { WhisperdNative } from '../../native/index';

/** The JS↔C++ contract version this code expects (native/src/addon.cc `abiVersion`). */
export const NATIVE_ABI_VERSION = 1;

const REQUIRED_FUNCTIONS = [
  'destroy',
  'g729EncoderCreate',
  'g729DecoderCreate',
  'g729Encode',
  'g729Decode',
  'g729Conceal',
  'g729DecodeCn',
  'resamplerCreate',
  'resamplerProcess',
  'resamplerReset',
  'resamplerOutputLatency',
  'echoCreate',
  'echoCancel',
  'echoReset',
  // the bleed detector's DSP (native/src/dsp/, FFTW): src/dsp/realFft.ts and decimator.ts have no fallback
  'dspKernels',
  'fftCreate',
  'fftForward',
  'fftInverse',
  'decimatorCreate',
  'decimatorProcess',
  'decimatorReset',
  'ringXcorr',
  'ringFit',
  'gccCreate',
  'gccReset',
  'gccEvaluate',
] as const;

/** Runtime check that a loaded module has the shape native/index.d.ts promises. */
export function isWhisperdNative(m: unknown): m is WhisperdNative {
  if (typeof m !== 'object' || m === null) return false;
  const rec = m as Record<string, unknown>;
  if (rec.abiVersion !== NATIVE_ABI_VERSION) return false;
  for (const name of REQUIRED_FUNCTIONS) if (typeof rec[name] !== 'function') return false;
  return true;
}

/** The package root: the nearest ancestor of this file holding native/binding.gyp (works from src/ and dist/src/). */
function findNativeDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'native');
    if (fs.existsSync(path.join(candidate, 'binding.gyp'))) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..', '..', 'native');
}

/** Default loader: node-gyp-build finds native/prebuilds/<platform>-<arch>/ or native/build/Release/. */
export function defaultNativeLoader(): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  return nodeGypBuild(findNativeDir());
}

let cached: WhisperdNative | null | undefined;
let announced = false;

/**
 * Load the addon with `loader` (a function returning the module or throwing). Returns null on any
 * failure and logs the reason once per process. Not cached: use `loadNative()` for the shared one.
 */
export function loadNativeWith(loader: () => unknown): WhisperdNative | null {
  let reason: string;
  try {
    const m = loader();
    if (isWhisperdNative(m)) return m;
    reason = 'whisperd_native has an unexpected shape (abiVersion or exports differ; rebuild with `make native`)';
  } catch (err) {
    reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  }
  if (!announced) {
    announced = true;
    logger.warn({ mod: 'native' }, `G.729 unavailable: ${reason}`);
  }
  return null;
}

/** The process-wide addon (loaded on first use), or null if unavailable. */
export function loadNative(): WhisperdNative | null {
  if (cached === undefined) cached = loadNativeWith(defaultNativeLoader);
  return cached;
}
