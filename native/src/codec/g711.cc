// G.711 tables and Appendix I concealment; see g711.h. Every formula and every floating-point
// expression mirrors src/codec/g711.ts / g711Plc.ts in the same order (doubles, JS rounding), which
// is what makes the output bit-exact with the TS reference. Do not "simplify" the arithmetic.
#include "g711.h"
#include <cmath>

namespace wn {
namespace codec {

namespace {

int UlawDecodeFormula(int code) {
  int u = ~code & 0xff;
  int e = (u >> 4) & 7;
  int mag = (((u & 0x0f) << 3) + 132) << e;
  return (u & 0x80) ? 132 - mag : mag - 132;
}

int UlawEncodeFormula(int x) {
  int sign = 0;
  int mag = x;
  if (x < 0) {
    sign = 0x80;
    mag = ~x;
  }
  int m = (mag >> 2) + 33;
  if (m > 8191) m = 8191;
  int e = 0;
  while ((m >> (e + 6)) != 0) e++;
  int mantissa = (m >> (e + 1)) & 0x0f;
  return ~(sign | (e << 4) | mantissa) & 0xff;
}

int AlawDecodeFormula(int code) {
  int a = code ^ 0x55;
  int e = (a >> 4) & 7;
  int mantissa = a & 0x0f;
  int mag = e == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 264) << (e - 1);
  return (a & 0x80) ? mag : -mag;
}

int AlawEncodeFormula(int x) {
  int sign = 0x80;
  int mag = x;
  if (x < 0) {
    sign = 0;
    mag = ~x;
  }
  int m = mag >> 3;
  int code;
  if (m < 32) {
    code = m >> 1;
  } else {
    int e = 1;
    while ((m >> (e + 5)) != 0) e++;
    code = (e << 4) | ((m >> e) & 0x0f);
  }
  return (sign | code) ^ 0x55;
}

struct Tables {
  int16_t ulawToLinear[256];
  int16_t alawToLinear[256];
  uint8_t linearToUlaw[65536];
  uint8_t linearToAlaw[65536];
  Tables() {
    for (int c = 0; c < 256; c++) {
      ulawToLinear[c] = static_cast<int16_t>(UlawDecodeFormula(c));
      alawToLinear[c] = static_cast<int16_t>(AlawDecodeFormula(c));
    }
    for (int i = 0; i < 65536; i++) {
      int x = i < 32768 ? i : i - 65536;
      linearToUlaw[i] = static_cast<uint8_t>(UlawEncodeFormula(x));
      linearToAlaw[i] = static_cast<uint8_t>(AlawEncodeFormula(x));
    }
  }
};

const Tables kTables;  // built at load time (static initialisation), immutable afterwards

constexpr int kMaxMs = 120;  // the AudioDecoder contract: up to 120 ms per payload

}  // namespace

const int16_t* const kUlawToLinear = kTables.ulawToLinear;
const int16_t* const kAlawToLinear = kTables.alawToLinear;
const uint8_t* const kLinearToUlaw = kTables.linearToUlaw;
const uint8_t* const kLinearToAlaw = kTables.linearToAlaw;

// ---- G711Decoder / G711Encoder (g711.ts) ----

int G711Decoder::decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) {
  if (payload == nullptr || len == 0 || len > static_cast<size_t>(rate_ / 1000 * kMaxMs)) return kErrPayload;
  if (out == nullptr || cap < len) return kErrSpace;
  const int16_t* t = table_;
  for (size_t i = 0; i < len; i++) out[i] = t[payload[i]];
  plc_.goodFrame(out, len);
  return static_cast<int>(len);
}

int G711Decoder::conceal(int16_t* out, size_t samples) {
  if (!ConcealArgsOk(out, samples)) return kErrArg;
  return plc_.conceal(out, samples);
}

int G711Encoder::encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) {
  if ((pcm == nullptr && n > 0) || n > kMaxFrameSamples) return kErrArg;
  if (cap < n || (out == nullptr && n > 0)) return kErrSpace;
  const uint8_t* t = table_;
  for (size_t i = 0; i < n; i++) out[i] = t[static_cast<uint16_t>(pcm[i])];
  return static_cast<int>(n);
}

}  // namespace codec
}  // namespace wn
