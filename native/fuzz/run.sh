#!/usr/bin/env bash
# Runs every libFuzzer harness of native/fuzz/ for SECONDS each (the bounded run of `make test`, the
# long one of `make fuzz`). Usage: native/fuzz/run.sh SECONDS [harness...]
# Each harness reads its committed seeds (native/fuzz/corpus/<h>/, never written) and grows a working
# corpus in native/fuzz/build/corpus-<h>/ that later runs start from. A crash, a failed invariant, a
# sanitizer report, an input slower than 10 s or more than 2 GB of memory fails the run: the input is
# saved as native/fuzz/build/artifacts/<h>/crash-*; replay it with `native/fuzz/build/fuzz_<h> FILE`.
set -uo pipefail
secs=${1:?usage: run.sh SECONDS [harness...]}
shift
cd "$(dirname "$0")/../.."
out=native/fuzz/build
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(rtp rtcp rfc4733 decode jitter mix udptl)
failed=()
for h in "${harnesses[@]}"; do
  bin=$out/fuzz_$h
  [ -x "$bin" ] || { echo "fuzz: $bin is not built (make fuzz-build)" >&2; exit 2; }
  mkdir -p "$out/corpus-$h" "$out/artifacts/$h"
  log=$out/fuzz_$h.log
  "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/$h/" "$out/corpus-$h" "native/fuzz/corpus/$h" >"$log" 2>&1
  rc=$?
  done_line=$(grep -aE '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$done_line")
  eps=$(sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p' <<<"$done_line")
  if [ $rc -ne 0 ]; then
    failed+=("$h")
    echo "fuzz_$h: FAILED (exit $rc) after ${execs:-?} executions; log $log" >&2
    grep -aE 'invariant failed|ERROR: |runtime error|SUMMARY|Test unit written' "$log" | head -8 >&2
  else
    echo "fuzz_$h: ${secs}s, ${execs:-?} executions (${eps:-?} exec/s), cov: ${cov:-?}, corpus $(ls "$out/corpus-$h" | wc -l) inputs"
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: ${failed[*]} failed" >&2; exit 1; }
