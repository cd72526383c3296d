#!/usr/bin/env bash
# Benchmark: generated corpora of N sessions (default 1000 and 5000): cold build
# (wall, CPU, peak memory, stage times), no-change rebuild, one-correction rebuild,
# serve's fast preview of that edit, output and index size, and the bytes sample
# queries load. Results go to stdout in the form bench/HISTORY.md records. Needs
# ~3 GB of disk for N=5000.
#   bench/run.sh [N ...]          (BENCH_REGENERATE=1 makes the corpora anew)
#
# The cold build goes into a new, empty output folder, and the corpus is kept
# between runs: on an ext4 without a journal (this machine's), creating a file
# skips, one by one, the inodes freed in the last minutes (60 s; 360 s once
# their block is written to again), so a build right after deleting a site of
# 77,000 files pays seconds of system time for that deletion. A first build
# does not; the previous run's output folders are deleted at the end instead.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --example gen-corpus --example search-budget --example preview-latency
cargo build --release --quiet
BIN=target/release/verbatim
TIME='wall %e s, user %U s, sys %S s, peak RSS %M KB'
STALE=""
for N in "${@:-1000 5000}"; do
  for n in $N; do
    DIR=${BENCH_DIR:-/tmp}/verbatim-bench-$n
    if [ -n "${BENCH_REGENERATE:-}" ] || [ "$(ls "$DIR/content" 2>/dev/null | wc -l)" != "$n" ]; then
      rm -rf "$DIR"
      target/release/examples/gen-corpus --sessions "$n" --out "$DIR" 2>&1
    fi
    OLD=$(find "$DIR" -maxdepth 1 \( -name 'public*' -o -name '.public*' \) | sort)
    OUT="$DIR/public-$(date +%s)"
    MB=$(du -sm "$DIR/content" | cut -f1)
    echo "## N = $n ($MB MB of transcripts) on $(nproc) cores, $(date -u +%F)"
    echo "cold build:      $(/usr/bin/time -f "$TIME" $BIN build --root "$DIR" --out "$OUT" --verbose 2>&1 | grep -E 'stages|steps|built|wall' | tr '\n' ' ')"
    echo "no-change build: $(/usr/bin/time -f "$TIME" $BIN build --root "$DIR" --out "$OUT" -q 2>&1 | tail -1)"
    LAYER=$(ls "$DIR"/annotations/sessions/*.yaml | sed -n 1p)
    sed -i '0,/replace: "/s//replace: "Edited: /' "$LAYER"
    echo "one correction:  $(/usr/bin/time -f "$TIME" $BIN build --root "$DIR" --out "$OUT" --verbose 2>&1 | grep -E 'stages|wall' | tr '\n' ' ')"
    echo "serve preview of the edited session (fast path):"
    target/release/examples/preview-latency "$DIR" "${LAYER#"$DIR"/}"
    echo "output:          $(du -sh "$OUT" | cut -f1) in $(find "$OUT" -type f | wc -l) files; search index $(du -sh "$OUT/search" | cut -f1)"
    target/release/examples/search-budget "$OUT" internet kleinwachter "permissionless innovation" "core internet values" "multistakeholder model of governance"
    STALE="$STALE $OLD"
  done
done
# After every measurement, so that no cold build pays for these deletions.
# shellcheck disable=SC2086
[ -z "${STALE// /}" ] || rm -rf $STALE
