#!/usr/bin/env bash
# Benchmark: generated corpora of N sessions (default 1000 and 5000): cold build
# (wall, CPU, peak memory, stage times), no-change rebuild, one-correction rebuild,
# serve's fast preview of that edit, output and index size, and the bytes sample
# queries load. Results go to stdout in the
# form BENCHMARKS.md records. Needs ~3 GB of disk for N=5000.
#   bench/run.sh [N ...]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --example gen-corpus --example search-bytes --example preview-latency
cargo build --release --quiet
BIN=target/release/verbatim
TIME='wall %e s, user %U s, sys %S s, peak RSS %M KB'
for N in "${@:-1000 5000}"; do
  for n in $N; do
    DIR=${BENCH_DIR:-/tmp}/verbatim-bench-$n
    rm -rf "$DIR"
    target/release/examples/gen-corpus --sessions "$n" --out "$DIR" 2>&1
    # Deleting the previous corpus and site freed ~100,000 inodes. On an ext4
    # without a journal (this machine's), creating a file skips inodes freed in
    # the last 60 s (300 s while unwritten) one by one, which made the cold
    # build pay seconds for the benchmark's own `rm -rf`. Let them age first.
    sync
    sleep 61
    MB=$(du -sm "$DIR/content" | cut -f1)
    echo "## N = $n ($MB MB of transcripts) on $(nproc) cores, $(date -u +%F)"
    echo "cold build:      $(/usr/bin/time -f "$TIME" $BIN build --root "$DIR" --verbose 2>&1 | grep -E 'stages|steps|built|wall' | tr '\n' ' ')"
    echo "no-change build: $(/usr/bin/time -f "$TIME" $BIN build --root "$DIR" -q 2>&1 | tail -1)"
    LAYER=$(ls "$DIR"/annotations/sessions/*.yaml | sed -n 1p)
    sed -i '0,/replace: "/s//replace: "Edited: /' "$LAYER"
    echo "one correction:  $(/usr/bin/time -f "$TIME" $BIN build --root "$DIR" --verbose 2>&1 | grep -E 'stages|wall' | tr '\n' ' ')"
    echo "serve preview of the edited session (fast path):"
    target/release/examples/preview-latency "$DIR" "${LAYER#"$DIR"/}"
    echo "output:          $(du -sh "$DIR/public" | cut -f1) in $(find "$DIR/public" -type f | wc -l) files; search index $(du -sh "$DIR/public/search" | cut -f1)"
    target/release/examples/search-bytes "$DIR/public" internet kleinwachter "permissionless innovation" "core internet values" "multistakeholder model of governance"
  done
done
