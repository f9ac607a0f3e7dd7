// Comparison harness for bench/aec.bench.ts --engine=webrtc-aec2 (not part of whisperd): WebRTC's AEC2 echo
// canceller from Debian's webrtc-audio-processing 0.3 (libwebrtc-audio-processing-dev; the AEC3 of 1.x is not in
// Debian 12), as PulseAudio runs it: float API, 10 ms frames, high-pass off, drift compensation off.
//   g++ -O2 -o /tmp/webrtc-aec2 bench/aec/webrtc-aec2.cc $(pkg-config --cflags --libs webrtc-audio-processing)
//   /tmp/webrtc-aec2 rate suppression(0 low,1 moderate,2 high) extendedFilter(0/1) delayAgnostic(0/1) delayMs ref.raw obs.raw out.raw
// ref/obs: int16 mono at `rate` (the whisper as mixed for the agent, the agent's decoded audio), out: the
// cancelled audio. Prints to stderr: process CPU per second of audio (us), AEC2's own delay and ERLE metrics.
#include <webrtc/modules/audio_processing/include/audio_processing.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <cstdint>
#include <ctime>
using namespace webrtc;
int main(int argc, char** argv) {
  if (argc != 9) {
    fprintf(stderr, "usage: %s rate suppression extendedFilter delayAgnostic delayMs ref.raw obs.raw out.raw\n", argv[0]);
    return 2;
  }
  int rate = atoi(argv[1]), lvl = atoi(argv[2]), ext = atoi(argv[3]), agn = atoi(argv[4]), dly = atoi(argv[5]);
  FILE* fr = fopen(argv[6], "rb"); FILE* fo = fopen(argv[7], "rb"); FILE* fw = fopen(argv[8], "wb");
  if (fr == nullptr || fo == nullptr || fw == nullptr || (rate != 8000 && rate != 16000 && rate != 32000 && rate != 48000) || lvl < 0 || lvl > 2) {
    fprintf(stderr, "cannot open the files, or rate/suppression out of range\n");
    return 2;
  }
  Config cfg;
  cfg.Set<ExtendedFilter>(new ExtendedFilter(ext != 0));
  cfg.Set<DelayAgnostic>(new DelayAgnostic(agn != 0));
  AudioProcessing* apm = AudioProcessing::Create(cfg);
  apm->high_pass_filter()->Enable(false);
  apm->echo_cancellation()->enable_drift_compensation(false);
  apm->echo_cancellation()->set_suppression_level((EchoCancellation::SuppressionLevel)lvl);
  apm->echo_cancellation()->enable_metrics(true);
  apm->echo_cancellation()->enable_delay_logging(true);
  apm->echo_cancellation()->Enable(true);
  int n = rate / 100;
  std::vector<int16_t> r(n), o(n), w(n);
  std::vector<float> rf(n), of(n), outf(n);
  clock_t c0 = clock(); long frames = 0;
  while (fread(r.data(), 2, n, fr) == (size_t)n && fread(o.data(), 2, n, fo) == (size_t)n) {
    for (int i = 0; i < n; i++) { rf[i] = r[i] / 32768.f; of[i] = o[i] / 32768.f; }
    const float* rs[1] = {rf.data()}; const float* os[1] = {of.data()}; float* ds[1] = {outf.data()};
    StreamConfig sc(rate, 1);
    apm->ProcessReverseStream(rs, sc, sc, (float* const*)rs);
    apm->set_stream_delay_ms(dly);
    int e = apm->ProcessStream(os, sc, sc, ds);
    if (e) { fprintf(stderr, "err %d\n", e); return 1; }
    for (int i = 0; i < n; i++) { float v = outf[i] * 32768.f; w[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : (int16_t)lrintf(v); }
    fwrite(w.data(), 2, n, fw); frames++;
  }
  double cpu = double(clock() - c0) / CLOCKS_PER_SEC;
  int med = 0, sd = 0; apm->echo_cancellation()->GetDelayMetrics(&med, &sd);
  EchoCancellation::Metrics m; apm->echo_cancellation()->GetMetrics(&m);
  fprintf(stderr, "cpu_us_per_s %.0f delay_med %d sd %d erle %d a_nlp %d\n", cpu * 1e6 / (frames / 100.0), med, sd, m.echo_return_loss_enhancement.average, m.a_nlp.average);
  fclose(fr); fclose(fo); fclose(fw); delete apm; return 0;
}
