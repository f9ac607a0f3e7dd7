#pragma once
#include "handle.h"
namespace wn { void InitG729(Napi::Env env, Napi::Object exports); }
