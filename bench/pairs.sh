#!/usr/bin/env bash
# Two (or more) builds of verbatim timed alternately on the same corpus: the
# way to tell whether a change made the build faster on a VM whose speed drifts
# by a factor of two between hours. Each round builds once with every binary,
# `--fresh`, into a new output folder that is removed afterwards.
#   bench/pairs.sh N ROUNDS BIN [BIN ...]
# The corpus is $BENCH_DIR/verbatim-bench-N (default /tmp; bench/run.sh or
# bench/compare.sh make it). Outputs go to $BENCH_OUT, default /dev/shm: in
# memory the file system's cost stays out of the comparison (on this VM's disk
# it moved system time between 7 and 20 s from one build to the next).
set -euo pipefail
N=$1
ROUNDS=$2
shift 2
DIR=${BENCH_DIR:-/tmp}/verbatim-bench-$N
OUT=${BENCH_OUT:-/dev/shm}
[ -d "$DIR/content" ] || { echo "no corpus at $DIR: run bench/run.sh $N first" >&2; exit 1; }
for r in $(seq 1 "$ROUNDS"); do
  for bin in "$@"; do
    out=$OUT/verbatim-pair-$N-$r-$$
    sync
    result=$( { /usr/bin/time -f 'wall %e s, user %U s, sys %S s, peak RSS %M KB' \
      "$bin" build --root "$DIR" --out "$out" --fresh --verbose 2>&1; } \
      | grep -E '^stages|^wall' | tr '\n' ' ')
    echo "$bin, round $r: $result"
    # The build's cache lives in the edition root, its lock beside the output.
    rm -rf "$out" "$OUT/.verbatim-pair-$N-$r-$$.lock" "$DIR"/.verbatim/cache/verbatim-pair-"$N-$r-$$"-*
  done
done
