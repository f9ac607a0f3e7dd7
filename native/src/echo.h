#pragma once
#include "handle.h"
namespace wn { void InitEcho(Napi::Env env, Napi::Object exports); }
