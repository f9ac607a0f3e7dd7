# whisperd_native: frame codec kernels (src/codec/: G.711 + Appendix I PLC, G.729 via bcg729, Opus via
# libopus, G.722 and GSM 06.10 via spandsp, AMR via opencore-amrnb, AMR-WB via opencore-amrwb and
# vo-amrwbenc), resampler and echo canceller (speexdsp) for the media plane,
# the native relay fast path (relay.cc, libuv from Node), and the bleed detector's real FFT (FFTW 3,
# src/dsp/fft.cc), decimator (src/dsp/decimator.cc), lagged cross-products (src/dsp/xcorr.cc) and
# GCC-PHAT delay search (src/dsp/gcc.cc).
# Built by `make native` (node-gyp rebuild) into native/build/Release/whisperd_native.node.
{
  "targets": [
    {
      "target_name": "whisperd_native",
      "sources": [
        "src/addon.cc",
        "src/handle.cc",
        "src/g729.cc",
        "src/codecs.cc",
        "src/codec/factory.cc",
        "src/codec/g711.cc",
        "src/codec/g729.cc",
        "src/codec/opus.cc",
        "src/codec/g722.cc",
        "src/codec/gsm.cc",
        "src/codec/amr.cc",
        "src/codec/resampler.cc",
        "src/jitter/parts.cc",
        "src/jitter/jitter_buffer.cc",
        "src/jitter_probe.cc",
        "src/mix/call_mix.cc",
        "src/mix_binding.cc",
        "src/resampler.cc",
        "src/echo.cc",
        "src/relay.cc",
        "src/parse_probe.cc",
        "src/t38/t38_binding.cc",
        "src/dtls/dtls.cc",
        "src/dtls/dtls_binding.cc",
        "src/srtp/srtp.cc",
        "src/srtp/srtp_binding.cc",
        "src/dsp/fft.cc",
        "src/dsp/decimator.cc",
        "src/dsp/xcorr.cc",
        "src/dsp/gcc.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-ffp-contract=off", "-fno-math-errno"],
      "libraries": ["-lbcg729", "-lspeexdsp", "-lopus", "-lspandsp", "-lopencore-amrnb", "-lopencore-amrwb", "-lvo-amrwbenc", "-lssl", "-lcrypto", "-lfftw3"]
    }
  ]
}
