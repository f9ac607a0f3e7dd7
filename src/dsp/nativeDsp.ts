/**
 * The addon functions behind src/dsp/realFft.ts and src/dsp/decimator.ts (native/src/dsp/: FFTW and a
 * decimating FIR). There is no TypeScript fallback: whisperd needs its native addon, so a missing or
 * stale addon fails here, loudly, when the bleed detector's modules are first imported (at start-up).
 */
import { loadNative, type WhisperdNative } from '../native/addon';

export type DspNative = Pick<WhisperdNative, 'fftCreate' | 'fftForward' | 'fftInverse' | 'decimatorCreate' | 'decimatorProcess' | 'decimatorReset'>;

let dsp: DspNative | undefined;

export function dspNative(): DspNative {
  if (dsp !== undefined) return dsp;
  const n = loadNative();
  if (n === null || typeof n.fftCreate !== 'function' || typeof n.decimatorProcess !== 'function') {
    throw new Error(
      'whisperd_native addon is missing or lacks the DSP kernels (fftCreate, decimatorProcess): the bleed detector needs it; ' +
        'install libfftw3-dev (scripts/system-deps.sh run) and rebuild with `make native`',
    );
  }
  dsp = n;
  return n;
}
