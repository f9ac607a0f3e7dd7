// parseProbe: the pure parsers of rtp/ (parse.h, rtcp.h, telephone_event.h) exposed to JS for the
// differential test against the TypeScript reference (test/unit/native/rtpParse.test.ts). Not used by
// whisperd itself.
#pragma once
#include <napi.h>

namespace wn {
void InitParseProbe(Napi::Env env, Napi::Object exports);
}
