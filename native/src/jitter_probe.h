// jitterProbe*: the native jitter buffer (jitter/jitter_buffer.h) with its own decoder, driven from JS for
// the differential test against src/jitter/JitterBuffer.ts (test/unit/native/jitterDiff.test.ts). Not
// used by whisperd itself (the media threads own their buffers through the mix).
#pragma once
#include <napi.h>

namespace wn {
void InitJitterProbe(Napi::Env env, Napi::Object exports);
}
