#!/usr/bin/env bash
# Mutation check of the test suite (a developer tool, not part of `make test`).
#
# For each deliberate defect below: copy the repository (a commit, HEAD by default, or the working
# tree with --worktree) to /tmp/whisperd-mutant-<id>, apply a small patch there, build with the
# Makefile, run the tests that should notice, and report "killed" (the tests failed) or "survived"
# (the tests passed although the product is broken). The repository this script lives in is never
# modified. A baseline copy (no patch) runs every subset first: a subset that fails unmutated makes
# every "killed" meaningless, so the script stops.
#
# Usage: scripts/mutate.sh [--ref REV | --worktree] [--only a,b,...] [--keep] [--no-baseline]
#   --ref REV       copy this commit (default HEAD)
#   --worktree      copy the working tree instead (tracked and untracked, not ignored files)
#   --only LIST     run only these mutations (ids below)
#   --keep          keep the copies (default: removed after each run; logs are kept in /tmp/whisperd-mutants.log.d)
#   --no-baseline   skip the unmutated run
# Exit status: 0 if every mutation was killed, 1 otherwise.
#
# Mutations (id: defect -> tests run):
#   a   whisper: the customer hears the supervisor           (matrix: C <- S opened in whisper)
#   b   whisper: the agent does not hear the supervisor      (matrix: A <- S closed in whisper)
#   c1  bleed failsafe never trips (detector alarm ignored)  (BleedMonitor)
#   c2  bleed failsafe never trips (host ignores trips)      (BleedService.trip)
#   d   supervise broken (SupervisionService.supervise throws) -> supervise tests
#   d-e2e  the same defect, end-to-end tests alone (test/e2e)
#   d2-e2e an ng offer with a `supervise` key is handled as a plain offer (Kamailio's only way to
#          reach supervise), end-to-end tests alone
#   e1  the native addon does not build (compile error)      -> make test must fail
#   e2  the native addon builds but has another ABI version  -> make test must fail
#   e3  the addon file is missing when the tests run (npx tap straight away) -> the tests that need it fail
#   m1  metrics: frames emitted by an output's own clock are never counted   (these three were
#   m2  metrics: late mix-clock ticks are never counted                        once checked only
#   m3  metrics: concealment events are never counted                          with t.type)
set -uo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
REF=HEAD
WORKTREE=0
ONLY=''
KEEP=0
BASELINE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --ref) REF=$2; shift 2 ;;
    --worktree) WORKTREE=1; shift ;;
    --only) ONLY=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --no-baseline) BASELINE=0; shift ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

LOGDIR=/tmp/whisperd-mutants.log.d
REV=$( [ "$WORKTREE" = 1 ] && echo "working tree of $SRC" || echo "$REF = $(git -C "$SRC" rev-parse --short "$REF")" )
mkdir -p "$LOGDIR"

# ---------------------------------------------------------------- test subsets
SUPERVISE_TESTS="test/unit/supervision test/integration/supervise.test.ts test/integration/matrix.test.ts test/integration/mode-switch.test.ts test/e2e/supervisor.test.ts"
BLEED_TESTS="test/integration/bleed.test.ts test/integration/http-api.test.ts"
COMMAND_TESTS="test/integration/supervise.test.ts test/integration/http-api.test.ts test/integration/dtmf.test.ts test/e2e"
E2E_TESTS="test/e2e"
NATIVE_TESTS="test/unit/native test/unit/codec/g729.test.ts test/unit/codec/nativeEcho.test.ts test/unit/codec/resampler.test.ts test/unit/media/nativeRelay.test.ts test/integration/relay-native.test.ts test/integration/transcode-codecs.test.ts"

# ---------------------------------------------------------------- helpers

# copy the repository to $1 (no node_modules, dist, native/build), then give it node_modules
# (hard links: nothing here writes into them) and the addon built once from the copied sources
# (NATIVE_CACHE; made newer than the sources, so make rebuilds it only if a mutation touches native/).
# The original's native/build is not used: it may come from uncommitted native sources.
NATIVE_CACHE=/tmp/whisperd-mutant-native
make_copy() {
  local dir=$1
  rm -rf "$dir"
  mkdir -p "$dir"
  if [ "$WORKTREE" = 1 ]; then
    (cd "$SRC" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
      [ -e "$f" ] && printf '%s\0' "$f"
    done | tar --null -T - -cf -) | tar -xf - -C "$dir"
  else
    git -C "$SRC" archive "$REF" | tar -xf - -C "$dir"
  fi
  cp -al "$SRC/node_modules" "$dir/node_modules"
  touch "$dir/node_modules/.install-stamp" 2>/dev/null || true
  if [ -f "$NATIVE_CACHE/native/build/Release/whisperd_native.node" ]; then
    mkdir -p "$dir/native/build"
    cp -a "$NATIVE_CACHE/native/build/." "$dir/native/build/"
    find "$dir/native/build" -exec touch {} +
  fi
}

# build the unmutated addon once, from the copied sources
build_native_cache() {
  local log=$LOGDIR/native-cache.log
  echo "== building the addon once in $NATIVE_CACHE" | tee "$log"
  make_copy "$NATIVE_CACHE" >>"$log" 2>&1
  (cd "$NATIVE_CACHE" && make -o node_modules/.install-stamp native) >>"$log" 2>&1 || {
    echo "the unmutated addon does not build: see $log" >&2
    exit 1
  }
}

# perl substitution on one file; fails if the file did not change (the code moved: fix the pattern)
patch_file() {
  local dir=$1 file=$2 expr=$3
  local f="$dir/$file"
  [ -f "$f" ] || { echo "mutation target missing: $file" >&2; return 1; }
  cp "$f" "$f.orig"
  perl -0pi -e "$expr" "$f"
  if cmp -s "$f" "$f.orig"; then
    echo "mutation did not apply to $file (pattern not found)" >&2
    rm -f "$f.orig"
    return 1
  fi
  diff -u "$f.orig" "$f" | sed -n '3,40p' >&2
  rm -f "$f.orig"
  touch "$f"
}

apply_mutation() {
  local id=$1 dir=$2
  case "$id" in
    baseline) return 0 ;;
    a) patch_file "$dir" src/supervision/matrix.ts "s/(case 'whisper':\\n(\\s*)set\\(m, s\\.agentTag, s\\.tag, open\\);)/\$1\\n\$2set(m, s.customerTag, s.tag, open);/" ;;
    b) patch_file "$dir" src/supervision/matrix.ts "s/(case 'whisper':\\n\\s*set\\(m, s\\.agentTag, s\\.tag, )open\\);/\${1}0);/" ;;
    c1) patch_file "$dir" src/bleed/BleedMonitor.ts 's/if \(d\.alarm && !this\.tripped\)/if (false \&\& d.alarm \&\& !this.tripped)/' ;;
    c2) patch_file "$dir" src/bleed/BleedService.ts 's/(\n(\s*)trip\(m: BleedMonitor, kind: BleedKind\): void \{)/$1\n$2  if (m) return;/' ;;
    d|d-e2e) patch_file "$dir" src/supervision/SupervisionService.ts "s/(\\n(\\s*)async supervise\\([^)]*\\)[^{]*\\{)/\$1\\n\$2  if (Date.now() > 0) throw new Error('mutant: supervise broken');/" ;;
    d2-e2e) patch_file "$dir" src/control/ng/commands/offerAnswer.ts 's/if \(req\.params\.supervise !== undefined\)/if (Date.now() < 0 \&\& req.params.supervise !== undefined)/' ;;
    e1) patch_file "$dir" native/src/addon.cc 's/(#include "relay\.h")/$1\n#error "mutant: the addon does not build"/' ;;
    e2) patch_file "$dir" native/src/addon.cc 's/exports\.Set\("abiVersion", Napi::Number::New\(env, 1\)\)/exports.Set("abiVersion", Napi::Number::New(env, 2))/' ;;
    e3) return 0 ;; # the addon is removed after the build, below
    m1) patch_file "$dir" src/mix/CallMixer.ts 's/out\.framesByTimer\+\+;/out.framesByTimer += 0;/' ;;
    m2) patch_file "$dir" src/mix/MixClock.ts 's/this\.lateTicks\+\+;/this.lateTicks += 0;/' ;;
    m3) patch_file "$dir" src/jitter/Concealer.ts 's/st\.concealmentEvents\+\+;/st.concealmentEvents += 0;/' ;;
    *) echo "unknown mutation $id" >&2; return 1 ;;
  esac
}

tests_for() {
  case "$1" in
    a|b) echo "$SUPERVISE_TESTS" ;;
    c1|c2) echo "$BLEED_TESTS" ;;
    d) echo "$COMMAND_TESTS" ;;
    d-e2e|d2-e2e) echo "$E2E_TESTS" ;;
    e1|e2|e3) echo "$NATIVE_TESTS" ;;
    m1|m2|m3) echo "test/integration/http-api.test.ts" ;;
    baseline) echo "$SUPERVISE_TESTS $BLEED_TESTS $COMMAND_TESTS $NATIVE_TESTS" | tr ' ' '\n' | awk 'NF && !seen[$0]++' | tr '\n' ' ' ;;
  esac
}

# failing test files in a tap log ("not ok N - test/...")
failing_files() {
  grep -E '^not ok [0-9]+ - test/' "$1" | sed -E 's/^not ok [0-9]+ - ([^ ]+).*/\1/' | sort -u | tr '\n' ' '
}

declare -a RESULTS=()
declare -a FLAKY=()
SURVIVED=0

run_one() {
  local id=$1 n=$2
  local dir=/tmp/whisperd-mutant-$n
  local log=$LOGDIR/$id.log
  local tests
  tests=$(tests_for "$id")
  : >"$log"
  echo "== [$id] copy -> $dir" | tee -a "$log"
  make_copy "$dir" >>"$log" 2>&1
  if ! apply_mutation "$id" "$dir" >>"$log" 2>&1; then
    RESULTS+=("$id: NOT APPLIED (see $log)")
    SURVIVED=1
    return
  fi
  local status
  if [ "$id" = e3 ]; then
    # build (addon included), then take the addon away and run the tests directly, as a developer would
    (cd "$dir" && make -o node_modules/.install-stamp build) >>"$log" 2>&1
    rm -f "$dir/native/build/Release/whisperd_native.node"
    echo "== [$id] npx tap $tests" >>"$log"
    (cd "$dir" && npx tap $tests) >>"$log" 2>&1
    status=$?
  else
    echo "== [$id] make test TAP_ARGS=\"$tests\"" >>"$log"
    # -o: never reinstall node_modules in the copy (they are hard links of the original's)
    (cd "$dir" && make -o node_modules/.install-stamp test TAP_ARGS="$tests") >>"$log" 2>&1
    status=$?
  fi
  local failed
  failed=$(failing_files "$log")
  local summary
  summary=$(grep -E '^# \{ total:' "$log" | tail -n 1)
  # A loaded machine makes some timing-sensitive tests fail now and then: a file that failed is run
  # once more, and only a file failing both times counts (for the baseline: a file failing twice).
  if [ $status -ne 0 ] && [ -n "$failed" ]; then
    echo "== [$id] rerun of the failing files: $failed" >>"$log"
    local rerun=$LOGDIR/$id.rerun.log
    (cd "$dir" && npx tap $failed) >"$rerun" 2>&1
    local again
    again=$(failing_files "$rerun")
    if [ -z "$again" ]; then
      echo "== [$id] every failing file passed on the rerun: $failed" >>"$log"
      FLAKY+=("$id: $failed")
      status=0
      summary="$summary; failed once, passed on rerun: $failed"
    else
      failed=$again
    fi
  fi
  if [ -z "$summary" ] && [ "$id" != e1 ] && [ "$id" != e2 ]; then
    # only the addon mutations are meant to stop the build; any other mutant must build and be tested
    RESULTS+=("$id: INVALID (the mutant did not build or no test ran: fix the mutation; $log)")
    SURVIVED=1
  elif [ "$id" = baseline ]; then
    if [ $status -eq 0 ]; then RESULTS+=("baseline: passes ($summary)"); else RESULTS+=("baseline: FAILS (status $status; failing: ${failed:-build}; $log)"); fi
  elif [ $status -ne 0 ]; then
    RESULTS+=("$id: killed (status $status; failing: ${failed:-make stopped before the tests: $(grep -m1 -E '^ERROR' "$log" || echo see log)})")
  else
    RESULTS+=("$id: SURVIVED ($summary; $log)")
    SURVIVED=1
  fi
  echo "${RESULTS[-1]}"
  [ "$KEEP" = 1 ] || rm -rf "$dir"
  [ "$id" = baseline ] && [ $status -ne 0 ] && return 1
  return 0
}

ALL="a b c1 c2 d d-e2e d2-e2e e1 e2 e3 m1 m2 m3"
IDS=${ONLY:+$(echo "$ONLY" | tr ',' ' ')}
IDS=${IDS:-$ALL}
n=0
rm -rf "$NATIVE_CACHE"
build_native_cache
if [ "$BASELINE" = 1 ]; then
  if ! run_one baseline 0; then
    printf '%s\n' "${RESULTS[@]}"
    echo "the unmutated copy fails its tests: fix that first" >&2
    exit 1
  fi
fi
for id in $IDS; do
  n=$((n + 1))
  run_one "$id" "$n"
done
echo
echo "mutation results ($REV):"
printf '  %s\n' "${RESULTS[@]}"
if [ ${#FLAKY[@]} -gt 0 ]; then
  echo "failed once, then passed (timing under load; not counted as kills):"
  printf '  %s\n' "${FLAKY[@]}"
fi
[ "$KEEP" = 1 ] || rm -rf "$NATIVE_CACHE"
exit $SURVIVED
