#include "handle.h"

#include <cmath>

namespace wn {

static void Finalize(Napi::Env, Handle* h) {
  if (h->state != nullptr) h->free_state(h->state);
  delete h;
}

Napi::Value MakeHandle(Napi::Env env, Kind kind, void* state, void (*free_state)(void*)) {
  Handle* h = new Handle{kind, state, free_state};
  return Napi::External<Handle>::New(env, h, Finalize);
}

// The argument accessors below make one N-API call per argument (napi_get_value_external /
// napi_get_typedarray_info / napi_get_value_double each fail, without throwing, on a value of another type)
// instead of node-addon-api's type check plus two or three getters: the bleed detector calls the addon a
// few hundred times per call-second, and the checks were most of a small call's cost.
static Handle* HandleOf(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() <= index) return nullptr;
  void* p = nullptr;
  if (napi_get_value_external(info.Env(), info[index], &p) != napi_ok) return nullptr;
  return static_cast<Handle*>(p);
}

void* StateOf(const Napi::CallbackInfo& info, size_t index, Kind kind) {
  Handle* h = HandleOf(info, index);
  if (h == nullptr || h->kind != kind) return nullptr;
  return h->state;
}

Napi::Value Destroy(const Napi::CallbackInfo& info) {
  Handle* h = HandleOf(info, 0);
  if (h == nullptr) return Int(info.Env(), ERR_ARG);
  if (h->state != nullptr) {
    h->free_state(h->state);
    h->state = nullptr;
  }
  return Int(info.Env(), 0);
}

template <napi_typedarray_type T, typename E>
static bool TypedArg(const Napi::CallbackInfo& info, size_t index, E*& data, size_t& len) {
  if (info.Length() <= index) return false;
  napi_typedarray_type type;
  size_t length = 0;
  void* base = nullptr;
  if (napi_get_typedarray_info(info.Env(), info[index], &type, &length, &base, nullptr, nullptr) != napi_ok || type != T)
    return false;
  data = static_cast<E*>(base);
  len = length;
  return true;
}

bool Int16ArrayArg(const Napi::CallbackInfo& info, size_t index, int16_t*& data, size_t& len) {
  return TypedArg<napi_int16_array, int16_t>(info, index, data, len);
}

bool Uint8ArrayArg(const Napi::CallbackInfo& info, size_t index, uint8_t*& data, size_t& len) {
  return TypedArg<napi_uint8_array, uint8_t>(info, index, data, len);
}

bool Float64ArrayArg(const Napi::CallbackInfo& info, size_t index, double*& data, size_t& len) {
  return TypedArg<napi_float64_array, double>(info, index, data, len);
}

bool Float32ArrayArg(const Napi::CallbackInfo& info, size_t index, float*& data, size_t& len) {
  return TypedArg<napi_float32_array, float>(info, index, data, len);
}

bool FiniteArg(const Napi::CallbackInfo& info, size_t index, double& out) {
  if (info.Length() <= index || napi_get_value_double(info.Env(), info[index], &out) != napi_ok) return false;
  return std::isfinite(out);
}

bool IndexArg(const Napi::CallbackInfo& info, size_t index, uint32_t max, uint32_t& out) {
  double v;
  if (info.Length() <= index || napi_get_value_double(info.Env(), info[index], &v) != napi_ok) return false;
  if (!(v >= 0) || v > static_cast<double>(max)) return false;
  out = static_cast<uint32_t>(v);
  return true;
}

template <typename E>
static bool SpanArg(bool (*array_arg)(const Napi::CallbackInfo&, size_t, E*&, size_t&), const Napi::CallbackInfo& info,
                    size_t index, uint32_t max_count, E*& data, uint32_t& count) {
  E* base;
  size_t len;
  uint32_t off;
  if (!array_arg(info, index, base, len) || !IndexArg(info, index + 1, UINT32_MAX, off) ||
      !IndexArg(info, index + 2, max_count, count) || static_cast<size_t>(off) + count > len)
    return false;
  data = base + off;
  return true;
}

bool Uint8SpanArg(const Napi::CallbackInfo& info, size_t index, uint32_t max_count, uint8_t*& data, uint32_t& count) {
  return SpanArg<uint8_t>(Uint8ArrayArg, info, index, max_count, data, count);
}

bool Int16SpanArg(const Napi::CallbackInfo& info, size_t index, uint32_t max_count, int16_t*& data, uint32_t& count) {
  return SpanArg<int16_t>(Int16ArrayArg, info, index, max_count, data, count);
}

}  // namespace wn
