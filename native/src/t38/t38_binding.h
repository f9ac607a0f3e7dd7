// T.38 fax gateway + fax terminal probe bindings (t38_binding.cc).
#pragma once
#include <napi.h>

namespace wn {
void InitT38(Napi::Env env, Napi::Object exports);
}
