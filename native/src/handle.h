// Opaque native handles shared by every codec/DSP object of the addon.
//
// Contract: JS receives a Napi::External<Handle>. `destroy(handle)` frees the native state at once
// (idempotent); the External's finalizer frees it too if JS forgot (safety net only: GC timing is not
// a resource policy). A destroyed handle makes every frame function return ERR_CLOSED.
#pragma once
#include <napi.h>
#include <cstdint>

namespace wn {

// Negative return codes of the frame functions (mirrored in native/index.d.ts).
enum Err : int32_t {
  ERR_ARG = -1,        // wrong argument type / range (a programming error in the caller)
  ERR_SPACE = -2,      // output buffer too small
  ERR_CLOSED = -3,     // handle destroyed or of another kind
  ERR_PAYLOAD = -4,    // payload length impossible for the codec (bad media: drop and count)
};

// Every handle kind is listed here (StateOf tells kinds apart by this number alone).
enum class Kind : int32_t {
  G729Encoder = 1, G729Decoder = 2, Resampler = 3, Echo = 4, Relay = 5, CodecDecoder = 6, CodecEncoder = 7,
  Mix = 8, JitterProbe = 9,
  T38Gateway = 10, FaxProbe = 11,  // native/src/t38/t38_binding.cc
  DtlsCert = 20, DtlsConn = 21,    // native/src/dtls/dtls_binding.cc
  Srtp = 30,  // native/src/srtp/srtp_binding.cc
  Fft = 40, Decimator = 41, Gcc = 42  // native/src/dsp/ (the bleed detector's FFT, decimation, delay search)
};

struct Handle {
  Kind kind;
  void* state;                   // codec/DSP state owned by this handle; nullptr once destroyed
  void (*free_state)(void*);     // releases `state`
};

// Wrap `state` in a new External handle.
Napi::Value MakeHandle(Napi::Env env, Kind kind, void* state, void (*free_state)(void*));
// The live state behind info[index] if it is a handle of `kind`, else nullptr.
void* StateOf(const Napi::CallbackInfo& info, size_t index, Kind kind);
// destroy(handle): frees the state now. Returns 0, or ERR_ARG if not a handle.
Napi::Value Destroy(const Napi::CallbackInfo& info);

// Typed-array access without exceptions. Each returns false if info[index] is not the expected
// typed array; on success `data` points at element 0 of the view and `len` is its element count.
bool Int16ArrayArg(const Napi::CallbackInfo& info, size_t index, int16_t*& data, size_t& len);
bool Uint8ArrayArg(const Napi::CallbackInfo& info, size_t index, uint8_t*& data, size_t& len);
bool Float64ArrayArg(const Napi::CallbackInfo& info, size_t index, double*& data, size_t& len);
bool Float32ArrayArg(const Napi::CallbackInfo& info, size_t index, float*& data, size_t& len);
// A finite number argument; false if missing, not a number, NaN or infinite.
bool FiniteArg(const Napi::CallbackInfo& info, size_t index, double& out);
// A non-negative integer argument; false if missing, negative, not finite, or > max.
bool IndexArg(const Napi::CallbackInfo& info, size_t index, uint32_t max, uint32_t& out);
// An input span: info[index..index+2] = (typed array, offset, count), count <= max_count and
// offset + count within the array. On success `data` points at element `offset`; false otherwise.
bool Uint8SpanArg(const Napi::CallbackInfo& info, size_t index, uint32_t max_count, uint8_t*& data, uint32_t& count);
bool Int16SpanArg(const Napi::CallbackInfo& info, size_t index, uint32_t max_count, int16_t*& data, uint32_t& count);

inline Napi::Value Int(Napi::Env env, int32_t v) { return Napi::Number::New(env, v); }

}  // namespace wn
