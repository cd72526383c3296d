#!/usr/bin/env bash
# Does the build scale? Cold builds of two corpus sizes (default 5,000 and
# 20,000 sessions) alternately, ROUNDS times (default 2), in the same
# minutes: wall, CPU, peak memory, and the files and bytes each wrote (all
# of the output, and the search index). #26 asks the larger build for at
# most 4.5 times the smaller one's wall time and under 2 GB of memory, and a
# one-correction rebuild of the larger one in under 5 s, which ends the run.
#   bench/scale.sh [SMALL LARGE [ROUNDS]]
# Corpora are $BENCH_DIR/verbatim-bench-N (default /tmp; made if missing;
# N = 20,000 is 1.5 GB of transcripts), outputs go beside them, on the same
# disk, into new folders that are deleted only at the end (see run.sh on
# why a build right after a deletion pays for it).
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${1:-5000}
LARGE=${2:-20000}
ROUNDS=${3:-2}
cargo build --release --quiet --example gen-corpus
cargo build --release --quiet
BIN=target/release/verbatim
OUTS=()
for n in $SMALL $LARGE; do
  DIR=${BENCH_DIR:-/tmp}/verbatim-bench-$n
  [ "$(ls "$DIR/content" 2>/dev/null | wc -l)" = "$n" ] ||
    target/release/examples/gen-corpus --sessions "$n" --out "$DIR"
done
for r in $(seq 1 "$ROUNDS"); do
  for n in $SMALL $LARGE; do
    DIR=${BENCH_DIR:-/tmp}/verbatim-bench-$n
    out=$DIR/scale-$r-$$
    OUTS+=("$out" "$DIR/.scale-$r-$$.lock")
    sync
    result=$( { /usr/bin/time -f 'wall %e s, user %U s, sys %S s, peak RSS %M KB' \
      "$BIN" build --root "$DIR" --out "$out" --fresh -q 2>&1; } | tail -1)
    files=$(find "$out" -type f | wc -l)
    bytes=$(find "$out" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}')
    ifiles=$(find "$out/search" -type f | wc -l)
    ibytes=$(find "$out/search" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}')
    tbytes=$(find "$DIR/content" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}')
    echo "N=$n round $r: $result; $files files, $bytes bytes ($(awk "BEGIN {printf \"%.2f\", $bytes / $tbytes}")x the transcripts); index $ifiles files, $ibytes bytes ($(awk "BEGIN {printf \"%.2f\", $ibytes / $tbytes}")x)"
  done
done
# A one-correction rebuild of the larger edition, into its last output: one
# correction's replacement changed (then put back, with a second rebuild).
DIR=${BENCH_DIR:-/tmp}/verbatim-bench-$LARGE
out=$DIR/scale-$ROUNDS-$$
layer=$(grep -l 'replace: ' "$DIR"/annotations/sessions/*.yaml | tail -1)
orig=$(mktemp)
cp "$layer" "$orig"
line=$(grep -n 'replace: ' "$layer" | head -1 | cut -d: -f1)
for edit in changed restored; do
  if [ "$edit" = changed ]; then sed -i "${line}s/replace: \"/replace: \"(edited) /" "$layer"; else cp "$orig" "$layer"; fi
  result=$( { /usr/bin/time -f 'wall %e s, user %U s, sys %S s, peak RSS %M KB' \
    "$BIN" build --root "$DIR" --out "$out" --verbose 2>&1; } | grep -E '^stages|^built|^wall' | tr '\n' ' ')
  echo "N=$LARGE one correction $edit: $result"
done
rm -f "$orig"
rm -rf "${OUTS[@]}" "${BENCH_DIR:-/tmp}"/verbatim-bench-*/.verbatim/cache/scale-*
