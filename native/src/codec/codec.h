// Frame codec kernels for the media plane: pure C++ (no N-API, no V8), one call per RTP payload /
// frame, no allocation after construction, no locks, no logging. One instance belongs to one thread
// at a time (a media thread, or the N-API binding in native/src/codecs.cc on Node's main thread);
// the shared tables are immutable after static initialisation.
//
// Contract of every frame function: the caller passes every buffer with its capacity (in samples or
// bytes); the result is the count written (>= 0) or a negative Status (same numbers as the addon's
// wn::Err / native/index.d.ts NativeError). Bad media returns kErrPayload and leaves the decoder usable;
// nothing here throws or aborts on any input.
//
// Adding a codec: implement FrameDecoder / FrameEncoder in native/src/codec/<name>.{h,cc}, add a
// CodecId, a case in factory.cc (and PcmRate if its PCM rate is not its RTP clock rate). Kernels:
// G.711 (g711), G.729 (bcg729), Opus (libopus), G.722 and GSM 06.10 (spandsp), AMR (opencore-amrnb),
// AMR-WB (opencore-amrwb + vo-amrwbenc). iLBC has no library in Debian and is not implemented.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

namespace wn {
namespace codec {

enum Status : int {
  kErrArg = -1,      // wrong argument (caller bug: frame size, null pointer)
  kErrSpace = -2,    // output capacity too small
  kErrClosed = -3,   // (binding only) destroyed handle
  kErrPayload = -4,  // payload impossible or corrupt for the codec (bad media: drop and count)
};

// Static payload type numbers where RFC 3551 has one; dynamic codecs get fixed ids >= 111.
// AMR / AMR-WB: one id per RFC 4867 packing (the native mix knows a participant's format by its id
// alone); CodecConfig::octetAlign is implied true for the *Octet ids.
enum class CodecId : int {
  PCMU = 0, GSM = 3, PCMA = 8, G722 = 9, G729 = 18, Opus = 111, AMR = 112, AMRWB = 113, AMROctet = 114, AMRWBOctet = 115
};

// Largest frame any decoder produces from one payload / conceal call: 120 ms at 48 kHz.
constexpr size_t kMaxFrameSamples = 5760;
// The argument rule of the concealing decoders' conceal(out, samples) (G.711, G.722, GSM, AMR):
// at most kMaxFrameSamples, and an output buffer unless nothing is asked for. False: kErrArg.
inline bool ConcealArgsOk(const int16_t* out, size_t samples) {
  return samples <= kMaxFrameSamples && (out != nullptr || samples == 0);
}
// Largest payload an encoder writes (libopus' 3 × 1276 bound; RTP payloads are far smaller).
constexpr size_t kMaxPayloadBytes = 3828;

class FrameDecoder {
 public:
  virtual ~FrameDecoder() = default;
  // PCM rate produced (Hz).
  virtual int sampleRate() const = 0;
  // Decode one RTP payload payload[0..len) into out[0..cap). Returns samples written,
  // kErrPayload for an impossible/corrupt payload, kErrSpace if it does not fit in cap.
  virtual int decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) = 0;
  // A frame was lost: write exactly `samples` samples of concealment into out (which must hold
  // them). Returns samples or kErrArg (size not allowed by the codec: e.g. not a multiple of
  // 2.5 ms for Opus or 10 ms for G.729).
  virtual int conceal(int16_t* out, size_t samples) = 0;
  // A frame of `samples` was lost but the NEXT payload `next[0..len)` has arrived: recover the lost
  // frame from its in-band FEC when the codec has it (Opus LBRR), else conceal. The next payload
  // is still to be decoded normally afterwards. Same results as conceal (kErrPayload if `next` is corrupt).
  virtual int recover(const uint8_t* next, size_t len, int16_t* out, size_t samples) {
    (void)next;
    (void)len;
    return conceal(out, samples);
  }
  // True if recover() can use in-band FEC (otherwise it is conceal()).
  virtual bool hasFec() const { return false; }
  // Forget all stream state (SSRC change). Allocation-free except G.729 (bcg729 has no reset: a
  // fresh channel is created, old one freed; keep it off the per-packet path or accept that cost).
  virtual void reset() = 0;
};

class FrameEncoder {
 public:
  virtual ~FrameEncoder() = default;
  virtual int sampleRate() const = 0;
  // Encode pcm[0..n) (a frame size the codec accepts) into out[0..cap). Returns bytes written,
  // 0 = nothing to send (DTX / untransmitted frame), kErrArg for a bad frame size, kErrSpace.
  virtual int encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) = 0;
  virtual void reset() = 0;
};

// Construction parameters (decided at signalling time). Fields a codec does not use are ignored.
struct CodecConfig {
  CodecId id = CodecId::PCMU;
  int sampleRate = 8000;     // G.711/G.729: 8000 only; Opus: 8000, 12000, 16000, 24000, 48000
  // Opus encoder
  int complexity = 5;        // 0..10
  int bitrate = 24000;       // bit/s, 500..512000
  bool inbandFec = false;    // send LBRR (FEC for the previous frame)
  int packetLossPerc = -1;   // 0..100; -1 = 10 if inbandFec else 0
  bool dtx = false;          // Opus DTX / G.729 Annex B VAD
  bool audioApplication = false;  // Opus OPUS_APPLICATION_AUDIO instead of VOIP
  // AMR / AMR-WB (RFC 4867): octet-aligned packing (fmtp octet-align=1) instead of bandwidth-efficient,
  // and the encoder's mode (AMR 0..7, AMR-WB 0..8; -1 = the highest; from fmtp mode-set).
  bool octetAlign = false;
  int amrMode = -1;
};

// PCM rate a codec is decoded and encoded at, given its RTP clock rate and the call's mix rate:
// Opus at the mix rate, G.722 at 16000 (its RTP clock is 8000, RFC 3551 §4.5.2), AMR-WB 16000,
// the others at their clock rate. The native mix and the jitter buffer derive timestamps from
// clockRate / this rate.
int PcmRate(CodecId id, int clockRate, int mixRate);

// Build a codec. Returns nullptr and sets *error (a static string) on a bad configuration or when
// the library refuses; never throws. Allocation happens here only.
std::unique_ptr<FrameDecoder> CreateDecoder(const CodecConfig& cfg, const char** error);
std::unique_ptr<FrameEncoder> CreateEncoder(const CodecConfig& cfg, const char** error);

}  // namespace codec
}  // namespace wn
