#!/usr/bin/env bash
# Fetch rtpengine's daemon test suite (t/auto-daemon-tests.pl) and its Perl client modules (perl/NGCP/)
# at tag mr10.5.3.5 — Debian bookworm's rtpengine 10.5.3.5 — into bench/rtpengine-suite/.upstream/
# (not committed: rtpengine's code stays rtpengine's; this harness only runs it). Then apply
# autotest-harness.patch (the HARNESS: changes to AutoTest.pm, see README.md).
#   RTPENGINE_SRC=<git dir or checkout of github.com/sipwise/rtpengine>  use a local copy (no network)
# Idempotent: does nothing when .upstream/ is already complete.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest="$here/.upstream"
tag=mr10.5.3.5
suite_sha256=f8d970c910df03588063607ca7c12fbd10e060be1c4ba4a53998578793ce828f
autotest_sha256=6b36b6b04909b3b50a5a8129ab0dea2c249e9ab884200026e7f1b53d11af5f28
[ -f "$dest/.complete" ] && exit 0
rm -rf "$dest" "$dest.tmp"
mkdir -p "$dest.tmp"
if [ -n "${RTPENGINE_SRC:-}" ]; then
  git -C "$RTPENGINE_SRC" archive "$tag" t/auto-daemon-tests.pl perl/NGCP | tar -x -C "$dest.tmp"
else
  git clone -q --depth 1 --branch "$tag" https://github.com/sipwise/rtpengine "$dest.tmp/clone"
  (cd "$dest.tmp/clone" && tar -c t/auto-daemon-tests.pl perl/NGCP) | tar -x -C "$dest.tmp"
  rm -rf "$dest.tmp/clone"
fi
echo "$suite_sha256  $dest.tmp/t/auto-daemon-tests.pl" | sha256sum -c --quiet -
echo "$autotest_sha256  $dest.tmp/perl/NGCP/Rtpengine/AutoTest.pm" | sha256sum -c --quiet -
patch -s -d "$dest.tmp" -p1 < "$here/autotest-harness.patch"
touch "$dest.tmp/.complete"
mv "$dest.tmp" "$dest"
echo "rtpengine $tag suite in $dest"
