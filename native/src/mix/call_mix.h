// The media engine of one call in the native media plane: the C++ twin of src/mix/CallMixer.ts +
// MixInput.ts + MixOutput.ts (the reference implementation), rule for rule. A gain matrix from every
// input (a participant's audio) to every output (what each participant hears), and the decision —
// taken in Reconfigure(), at signalling time — of how each output is produced:
//   passthrough  exactly one input at gain 1, same codec and payload type, no prompt: packets are
//                forwarded (re-stamped for continuity once the output has ever been mixed);
//   transcode    (M) one input not forwardable as is (codec, ptime, CN): forwarded re-stamped where the
//                listener accepts the codec, else decoded in sequence order and re-encoded in frames of
//                its ptime, numbered after the input (rtpengine's transcoding handler; transcode.h).
//   mix          decode, sum with gains (ramped over one frame), soft-limit, encode, own SSRC/seq/ts.
//                The output's SIP peer, if audible, is its primary talker: decoded on arrival and
//                emitted at once. Other inputs come through jitter buffers (jitter/jitter_buffer.h).
//                When the primary is silent the output's own clock (Tick) keeps producing frames.
//
// Pure C++: no N-API, no libuv, no locks, no logging, never throws. Everything is allocated by the
// configuration methods (signalling time); OnRtp() and Tick() allocate nothing. One instance belongs
// to ONE thread: the media thread that owns the call's endpoints (or the test binding on Node's
// thread). The host (relay.cc on a media thread; a capturing host in the test binding) delivers
// packets, the clock, and takes what the mix sends and reports.
//
// Participants are addressed by a small index 0..kMaxParticipants-1 chosen by the control plane.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include "../codec/codec.h"
#include "../jitter/jitter_buffer.h"
#include "../rtp/parse.h"

namespace wn {
namespace mix {

constexpr int kMaxParticipants = 16;
// Mix frame length of the output clocks, ms (CallMixer FRAME_MS) and the primary grace (PRIMARY_GRACE_MS).
constexpr double kFrameMs = 20;
constexpr double kPrimaryGraceMs = 45;

// Where the mix's packets and reports go. Called on the mix's thread, from inside OnRtp/Tick.
class MixHost {
 public:
  virtual ~MixHost() = default;
  // Send one RTP datagram to participant `idx` (out of its endpoint's socket, to its remote).
  virtual void Send(int idx, const uint8_t* buf, size_t len) = 0;
  // (P) The same for a packet of a stream the mix originates (an output's own SSRC): the host may also
  // send RTCP sender reports about it (relay.cc). Default: Send.
  virtual void SendOwn(int idx, const uint8_t* buf, size_t len) { Send(idx, buf, len); }
  // False while participant idx has no destination (remote port 0): its output clock does not run.
  virtual bool HasDestination(int idx) const = 0;
  // Counters (DropReason in src/media/counters.ts: 12 bad_payload_type, 13 late_or_duplicate, 14 over_rate, 8 send_error).
  virtual void CountDrop(int reason) = 0;
  // An RFC 4733 packet from participant idx (fromLatched: it came from the latched source). The mix
  // has already relayed it where the reference engine does.
  virtual void OnTelephoneEvent(int idx, const uint8_t* pkt, size_t len, bool fromLatched) = 0;
  // Bleed taps (only for what SetObserved/SetTap enabled):
  // the observed input's decoded direct audio (mix rate), just written, at arrival time nowMs;
  virtual void OnObserved(int inIdx, const int16_t* pcm, int n, double nowMs) = 0;
  // a mixed frame of a tapped output: the final PCM, and the contribution (gain applied, rounded and
  // clamped to int16) of the tapped source `srcIdx` plus that source's raw audio read for this frame
  // (its ring at the output's cursor, before gain) — contrib/raw are null when srcIdx is not a source
  // of this output.
  virtual void OnMixed(int outIdx, const int16_t* pcm, int n, int srcIdx, const int16_t* contrib, const int16_t* raw, double nowMs) = 0;
  // (added by M) The clock "now" (performance.now() ms) for signalling-time decisions that need one
  // (Reconfigure() starts a primary-clocked output's deadline at now + kFrameMs + kPrimaryGraceMs, as
  // CallMixer.reconfigure does with performance.now()). Negative (the default): the mix uses the
  // latest time it was given (OnRtp arrival / Tick). Called at configuration time only.
  virtual double NowMs() const { return -1; }
};

// What a participant sends and accepts (ParticipantMedia in CallMixer.ts), decided at offer/answer time.
struct ParticipantSpec {
  codec::CodecId codec = codec::CodecId::PCMU;
  int clockRate = 8000;   // RTP clock (Opus 48000)
  int pt = 0;             // payload type of the audio codec
  int dtmfPt = -1;        // telephone-event, -1 none
  int peer = -1;          // index of its offer/answer peer, -1 none (supervisors)
  int codecMode = -1;     // (K) AMR / AMR-WB: the encoder's mode (the highest of fmtp mode-set); -1 the highest
  // (M) ParticipantMedia alsoSends / cnPt / ptime: the other codecs of its SDP (it may send them, it
  // accepts them), its RFC 3389 CN payload type, the ptime whisperd must repacketise to (0 none).
  struct Also {
    codec::CodecId codec = codec::CodecId::PCMU;
    int clockRate = 8000;
    int pt = 0;
  };
  static constexpr int kMaxAlso = 8;
  Also also[kMaxAlso];
  int nalso = 0;
  int cnPt = -1;
  int ptime = 0;
  bool dtmfOffered = true;  // (M) ParticipantMedia.dtmfOffered: its SDP from whisperd carried telephone-event
};

struct MixConfig {
  int mixRate = 8000;            // 8000 or 16000
  int opusComplexity = 5;
  int opusBitrate = 24000;
  // (added by M) Seed of the PRNG that draws each output's initial SSRC/seq/ts; 0 = random (tests may fix it).
  uint32_t seed = 0;
  // (M) TranscodeOptions: silence detection threshold (int16; rtpengine --silence-detect, 0 = off) and
  // the CN payload a silent frame becomes (rtpengine --cn-payload).
  int silenceThreshold = 0;
  uint8_t cnPayload[16] = {32};
  int cnPayloadLen = 1;
};

// Per-output counters (MixOutput fields; GET /v1/calls/:id `sent`, /metrics).
struct OutputStats {
  double framesMixed = 0;
  double framesByTimer = 0;
  double framesSkipped = 0;
  double packetsForwarded = 0;
  double encodeErrors = 0;
  double mode = 0;  // 0 idle, 1 passthrough, 2 mix, 3 transcode
};
constexpr int kOutputStatsCount = sizeof(OutputStats) / sizeof(double);

class CallMix {
 public:
  static std::unique_ptr<CallMix> Create(const MixConfig& cfg, MixHost* host, const char** error);
  ~CallMix();

  // ---- configuration (signalling time; may allocate). 0 or a negative wn::codec::Status / -1. ----
  int SetParticipant(int idx, const ParticipantSpec& spec);  // add or update (same spec: only peer changes)
  void RemoveParticipant(int idx);
  void SetGain(int outIdx, int inIdx, double gain);
  void Reconfigure();
  // (M) Transcoding settings (TranscodeOptions): applied by the next Reconfigure().
  void SetTranscodeOptions(int silenceThreshold, const uint8_t* cnPayload, size_t len);
  // (M) `play DTMF` from participant fromIdx into the outputs that transcode its audio (CallMixer.injectDtmf);
  // dryRun: only count them. Returns how many outputs took (would take) it.
  int InjectDtmf(int fromIdx, int code, int volume, int toneVolume, int durationMs, int pauseMs, bool dryRun);
  void Observe(int idx);   // decode idx on arrival (direct path) even when passthrough (bleed)
  void Prewarm(int idx);   // run idx's jitter buffer before anyone hears it (supervisors)
  // Bleed taps: report idx's direct audio (OnObserved); report output outIdx's mixed frames with source srcIdx (OnMixed).
  // (M) Both are configuration by index, like the reference engine's taps by tag: they may precede
  // SetParticipant, and persist across the participant's removal and re-creation.
  void SetObserved(int idx, bool on);
  void SetTap(int outIdx, int srcIdx);  // srcIdx -1: tap off
  // Echo canceller on idx's direct path (CallMedia.setEchoCanceller; aec.h): refIdx's contribution to
  // idx's own output is the reference; every output carrying idx alone then mixes. refIdx -1: off (freed).
  // Configuration by index like the taps (kept across re-creation); applied to outputs by Reconfigure().
  // 0, or -1 (bad arguments, out of memory: nothing changed).
  int SetEchoCanceller(int idx, int refIdx, int tailMs, bool residual);
  // {tailMs, residual, blocks, resyncs, underruns, bypassed} of idx's canceller; false: none.
  bool ReadEchoStats(int idx, double* out6) const;
  // Prompts into one output only: pcm at the mix rate, played `repeat` times (PromptPlayer semantics);
  // the mix copies it. Returns 0 or -1 (no such output).
  int AddPrompt(int outIdx, const int16_t* pcm, size_t n, int repeat);
  int StopPrompts(int outIdx);      // returns how many were playing
  bool HasPrompts() const;
  void SetPromptGain(int outIdx, double gain);

  // ---- packet path (no allocation) ----
  // One RTP packet (already parsed and source-checked by the host) from participant idx.
  void OnRtp(int idx, const uint8_t* pkt, size_t len, const rtp::RtpView& view, double arrivalMs, bool fromLatched);
  // The output clocks: call every few ms (the host's 5 ms tick). Does nothing while held.
  void Tick(double nowMs);
  // Hold the output clocks (Tick does nothing) while the control plane configures a new mix over several
  // calls: on the reference engine nothing ticks within one JS turn, so what that turn sets up (participants,
  // gains, a prompt) starts together; without the hold a tick between two calls sent a listener a frame of
  // silence before the prompt it was made for. Packets are still taken in and relayed.
  void SetHeld(bool held);

  // ---- reading (the owning thread, or while the thread is stopped) ----
  bool HasOutput(int idx) const;
  void ReadOutputStats(int idx, OutputStats* out) const;
  // (takeover) idx's own stream: {ssrc, next seq, next ts}; false: no such output. Write: continue a stream
  // another node generated (same SSRC, seq/ts from its anchor); re-stamping restarts from these values.
  bool ReadStream(int idx, double* out3) const;
  bool WriteStream(int idx, uint32_t ssrc, int seq, uint32_t ts);
  // Jitter-buffer stats of idx's buffered path; false if it has none.
  bool ReadJitterStats(int idx, jitter::Stats* out) const;
  double DecodeErrors(int idx) const;
  int mixRate() const;

 private:
  CallMix();
  struct Impl;
  Impl* impl_;
  bool held_ = false;
};

}  // namespace mix
}  // namespace wn
