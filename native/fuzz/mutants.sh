#!/usr/bin/env bash
# Shows the bounded fuzz run can fail: plants one bug at a time (an off-by-one in a length check) in a
# scratch copy of native/src/rtp/, builds the harness against it and runs it for SECONDS (default 10,
# as `make test`). Every mutant must be found (the harness fails); exit 1 if one survives.
# Usage: native/fuzz/mutants.sh [SECONDS]
set -uo pipefail
secs=${1:-10}
cd "$(dirname "$0")/../.."
scratch=$(mktemp -d /tmp/whisperd-fuzz-mutants.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
# harness | file | exact text | replacement | what the bug is
mutants=(
  "rtp|parse.h|if (off + 4 > len) return V_BAD_EXTENSION;|if (off + 3 > len) return V_BAD_EXTENSION;|extension header read one byte past the datagram"
  "rtp|parse.h|if (pad == 0 \|\| off + pad > len) return V_BAD_PADDING;|if (pad == 0 \|\| off + pad > len + 1) return V_BAD_PADDING;|padding count one over the payload"
  "rtp|parse.h|if (off > len) return V_BAD_CSRC;|if (off > len + 4) return V_BAD_CSRC;|CSRC list one word past the datagram"
  "rtcp|rtcp.h|if (plen > rest) return RTCP_BAD_LENGTH;|if (plen > rest + 4) return RTCP_BAD_LENGTH;|sub-packet length one word past the datagram"
  "rtcp|rtcp.h|if (blen < 4 + count * RTCP_REPORT_BLOCK) return RTCP_BAD_BODY;|if (blen + 4 < 4 + count * RTCP_REPORT_BLOCK) return RTCP_BAD_BODY;|RR report blocks one word past the packet"
  "rtcp|rtcp.h|if (off + 2 > body) return false;|if (off + 1 > body) return false;|SDES item length byte past the packet"
  "rfc4733|telephone_event.h|if (len < TELEPHONE_EVENT_BYTES) return false;|if (len < TELEPHONE_EVENT_BYTES - 1) return false;|event block of 3 bytes accepted"
)
# The codec kernels (native/src/codec/, when present): the defect the decode harness found, reverted.
if [ -f native/src/codec/g729.cc ]; then
  mutants+=("decode|../codec/g729.cc|bcg729Decoder(st_, payload, 1, 0, 1, 1, out);|bcg729Decoder(st_, payload, static_cast<uint8_t>(len), 0, 1, 1, out);|RFC 3389 coefficients handed to bcg729 again (SIGFPE)")
fi
survived=0
i=0
for m in "${mutants[@]}"; do
  i=$((i + 1))
  IFS='|' read -r h file from to what <<<"$(sed 's/\\|/\x01/g' <<<"$m")"
  from=${from//$'\x01'/|}; to=${to//$'\x01'/|}
  rm -rf "$scratch/src" "$scratch/fuzz" && mkdir -p "$scratch/src" "$scratch/fuzz"
  cp -r native/src/rtp "$scratch/src/" && cp native/fuzz/*.cc native/fuzz/*.h "$scratch/fuzz/"
  [ -d native/src/codec ] && cp -r native/src/codec "$scratch/src/"
  FROM=$from TO=$to python3 -c '
import os, sys
p = sys.argv[1]; s = open(p).read(); f = os.environ["FROM"]
if s.count(f) != 1: sys.exit("mutant text not found once in " + p)
open(p, "w").write(s.replace(f, os.environ["TO"]))' "$scratch/src/rtp/$file" || { echo "mutant $i: INVALID (text not found)"; survived=1; continue; }
  extra=()
  [ "$h" = decode ] && extra=("$scratch"/src/codec/*.cc -lbcg729 -lopus -lspeexdsp)
  clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    "$scratch/fuzz/fuzz_$h.cc" "${extra[@]}" -o "$scratch/fuzz_$h" 2>"$scratch/cc.log" || { echo "mutant $i: INVALID (does not build)"; survived=1; continue; }
  mkdir -p "$scratch/corpus-$i"
  start=$(date +%s)
  if "$scratch/fuzz_$h" -max_total_time="$secs" -timeout=10 -artifact_prefix="$scratch/" \
      "$scratch/corpus-$i" "native/fuzz/corpus/$h" >"$scratch/run.log" 2>&1; then
    echo "mutant $i ($h: $what): SURVIVED ${secs}s"
    survived=1
  else
    how=$(grep -m1 -oE 'invariant failed: .*|ERROR: AddressSanitizer: [A-Za-z-]+|runtime error: .*' "$scratch/run.log")
    execs=$(grep -m1 -oE '^#[0-9]+' <(grep -E '^#[0-9]+' "$scratch/run.log" | tail -1))
    echo "mutant $i ($h: $what): found after $(( $(date +%s) - start ))s, ~${execs#\#} execs: $how"
  fi
done
exit $survived
