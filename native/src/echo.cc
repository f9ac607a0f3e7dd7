// Acoustic echo cancellation with speexdsp's MDF canceller (for the optional bleed suppression).
// cancel(rec, play, out): rec = microphone frame containing echo of play (the far-end reference,
// time-aligned so that play precedes its echo in rec), out = rec with the echo removed.
// With `preprocess` on, speexdsp's preprocessor adds residual echo suppression (and its denoiser).
#include "echo.h"
#include "mix/aec.h"
#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>

namespace wn {

struct Echo {
  SpeexEchoState* aec;
  SpeexPreprocessState* pre;  // nullptr unless residual echo suppression was requested
  uint32_t frame;             // samples per frame
};

static void FreeEcho(void* s) {
  Echo* e = static_cast<Echo*>(s);
  if (e->pre != nullptr) speex_preprocess_state_destroy(e->pre);
  speex_echo_state_destroy(e->aec);
  delete e;
}

// echoCreate(frameSamples, tailSamples, sampleRate, preprocess: boolean, suppressActiveDb?): handle.
// suppressActiveDb (-60..0, default mix::kAecSuppressActiveDb as the daemon runs it): the residual echo
// suppressor's deepest cut while the near end talks (for bench/aec.bench.ts's comparison).
static Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t frame, tail, rate;
  const bool activeGiven = info.Length() > 4 && !info[4].IsUndefined();
  const int activeDb = activeGiven && info[4].IsNumber() ? info[4].As<Napi::Number>().Int32Value() : mix::kAecSuppressActiveDb;
  if (!IndexArg(info, 0, 4096, frame) || !IndexArg(info, 1, 65536, tail) || !IndexArg(info, 2, 48000, rate) ||
      frame < 16 || tail < frame || rate < 8000 || (activeGiven && !info[4].IsNumber()) || activeDb > 0 ||
      activeDb < -60) {
    Napi::RangeError::New(env, "echoCreate(frame 16..4096, tail >= frame, sampleRate 8000..48000, preprocess, suppressActiveDb -60..0)")
        .ThrowAsJavaScriptException();
    return env.Null();
  }
  bool preprocess = info.Length() > 3 && info[3].IsBoolean() && info[3].As<Napi::Boolean>().Value();
  Echo* e = new Echo{speex_echo_state_init(static_cast<int>(frame), static_cast<int>(tail)), nullptr, frame};
  int r = static_cast<int>(rate);
  speex_echo_ctl(e->aec, SPEEX_ECHO_SET_SAMPLING_RATE, &r);
  if (preprocess) e->pre = mix::CreateResidualSuppressor(static_cast<int>(frame), r, e->aec, activeDb);
  return MakeHandle(env, Kind::Echo, e, FreeEcho);
}

// echoCancel(h, rec, recOff, play, playOff, out, outOff): frame samples written.
static Napi::Value Cancel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Echo* e = static_cast<Echo*>(StateOf(info, 0, Kind::Echo));
  if (e == nullptr) return Int(env, ERR_CLOSED);
  int16_t *rec, *play, *out; size_t recLen, playLen, outLen;
  uint32_t recOff, playOff, outOff;
  if (!Int16ArrayArg(info, 1, rec, recLen) || !IndexArg(info, 2, UINT32_MAX, recOff) ||
      !Int16ArrayArg(info, 3, play, playLen) || !IndexArg(info, 4, UINT32_MAX, playOff) ||
      !Int16ArrayArg(info, 5, out, outLen) || !IndexArg(info, 6, UINT32_MAX, outOff))
    return Int(env, ERR_ARG);
  if (static_cast<size_t>(recOff) + e->frame > recLen || static_cast<size_t>(playOff) + e->frame > playLen)
    return Int(env, ERR_ARG);
  if (static_cast<size_t>(outOff) + e->frame > outLen) return Int(env, ERR_SPACE);
  speex_echo_cancellation(e->aec, rec + recOff, play + playOff, out + outOff);
  if (e->pre != nullptr) speex_preprocess_run(e->pre, out + outOff);
  return Int(env, static_cast<int32_t>(e->frame));
}

// echoReset(h): 0. Forget the adapted echo path.
static Napi::Value Reset(const Napi::CallbackInfo& info) {
  Echo* e = static_cast<Echo*>(StateOf(info, 0, Kind::Echo));
  if (e == nullptr) return Int(info.Env(), ERR_CLOSED);
  speex_echo_state_reset(e->aec);
  return Int(info.Env(), 0);
}

void InitEcho(Napi::Env env, Napi::Object exports) {
  exports.Set("echoCreate", Napi::Function::New(env, Create, "echoCreate"));
  exports.Set("echoCancel", Napi::Function::New(env, Cancel, "echoCancel"));
  exports.Set("echoReset", Napi::Function::New(env, Reset, "echoReset"));
}

}  // namespace wn
