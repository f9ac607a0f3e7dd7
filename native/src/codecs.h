#pragma once
#include "handle.h"
namespace wn { void InitCodecs(Napi::Env env, Napi::Object exports); }
