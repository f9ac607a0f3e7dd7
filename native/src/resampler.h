#pragma once
#include "handle.h"
namespace wn { void InitResampler(Napi::Env env, Napi::Object exports); }
