#!/usr/bin/env bash
# Installs the Debian packages whisperd needs, only those missing. Usage: system-deps.sh run|test|bench|peers
#   run:   build + runtime (bcg729, speexdsp, libopus, spandsp, opencore-amr, vo-amrwbenc headers for the native addon)
#   test:  run + the real peers (Kamailio, SIPp, rtpengine, Chromium, Redis) and audio tools the test suite uses,
#          and clang/libFuzzer for native/fuzz/
#   peers: run + the peers of `make test-peers` (see below)
#   bench: test (rtpengine-daemon, the comparison peer, is in test: it is a real peer of the tests too)
# As root it installs with apt-get; otherwise it prints the exact command and fails.
set -euo pipefail
what=${1:-run}
pkgs=(build-essential python3 libbcg729-dev libspeexdsp-dev libopus-dev)
# codec kernels: G.722 + GSM 06.10 (spandsp), AMR (opencore-amrnb), AMR-WB (opencore-amrwb decode, vo-amrwbenc encode)
pkgs+=(libspandsp-dev libopencore-amrnb-dev libopencore-amrwb-dev libvo-amrwbenc-dev)
# OpenSSL (issue 12): SRTP (native/src/srtp/) and DTLS-SRTP (native/src/dtls/) link libssl/libcrypto
pkgs+=(libssl-dev)
# espeak-ng (issue 15): text prompts are synthesized at run time by prompts.tts.command (default espeak-ng); the tests use it too
pkgs+=(espeak-ng)
# FFTW 3 (issue 13): the bleed detector's real FFT (native/src/dsp/fft.cc links -lfftw3)
pkgs+=(libfftw3-dev)
if [ "$what" = test ] || [ "$what" = bench ]; then
  pkgs+=(kamailio sip-tester tshark sox pocketsphinx-testdata)
  # clang with its libFuzzer and ASan/UBSan runtimes (libclang-rt-dev tracks the default clang's
  # version): the fuzz harnesses of native/fuzz/ (`make fuzz`, and the bounded run in `make test`).
  pkgs+=(clang libclang-rt-dev)
  # the openssl command-line tool: the independent DTLS-SRTP peer of test/integration/dtls-openssl.test.ts
  # (s_server / s_client -dtls -use_srtp -keymatexport) and the certificate oracle (openssl x509)
  pkgs+=(openssl)
  # rtpengine 10.5 is a real peer of the test suite too (ICE, SRTP/DTLS interop tests), not only the bench's
  pkgs+=(rtpengine-daemon)
  # libsrtp2-dev: the SRTP oracle of test/unit/srtp-oracle.test.ts (test/fixtures/srtp-oracle.c)
  # chromium: the browser running the supervisor console (test/e2e/chromium-console.test.ts)
  pkgs+=(libsrtp2-dev chromium)
  # kamailio-websocket-modules: the WebRTC gateway example's WebSocket listener (test/e2e/kamailio-webrtc-websocket.test.ts)
  pkgs+=(kamailio-websocket-modules)
  # redis-server: the cluster tests' real Redis (test/fixtures/redis.ts; issue 14)
  pkgs+=(redis-server)
fi
# peers: the peer of the test `make test-peers` runs (PEER_TESTS in the Makefile; issue 12), kept out of `make
# test` until Debian's package has run it (it passed against baresip 1.0.0 built from upstream source):
#   baresip: an SDES-SRTP phone through Kamailio (test/e2e/baresip-sdes.test.ts)
if [ "$what" = peers ]; then
  pkgs+=(kamailio sip-tester sox openssl rtpengine-daemon baresip)
fi
# A package counts as present when Debian has it installed, or, for the three below, when what the tests use
# from it is there from a local build of the same upstream release (the machine's Debian mirror was
# unreachable for several sessions; the local builds are named in the README's test section):
#   libsrtp2-dev: <srtp2/srtp.h> compiles and -lsrtp2 links (what test/unit/srtp-oracle.test.ts does)
#   kamailio-websocket-modules: Kamailio's module directory holds websocket.so (what the example loads)
#   baresip: a baresip binary on the PATH (make test-peers only)
provided_locally() {
  case "$1" in
    libsrtp2-dev)
      printf '#include <srtp2/srtp.h>\nint main(void){return srtp_init();}\n' |
        cc -x c -o /dev/null - -lsrtp2 >/dev/null 2>&1 ;;
    kamailio-websocket-modules)
      compgen -G '/usr/lib/*/kamailio/modules/websocket.so' >/dev/null ||
        compgen -G '/usr/lib/kamailio/modules/websocket.so' >/dev/null ;;
    baresip) command -v baresip >/dev/null ;;
    *) return 1 ;;
  esac
}
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' && continue
  provided_locally "$p" && continue
  missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "whisperd needs these Debian packages: ${missing[*]}" >&2
  echo "run as root:  apt-get update && $cmd" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# tshark asks whether non-root users may capture; answer no without a prompt.
echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections 2>/dev/null || true
$cmd -qq >/dev/null
