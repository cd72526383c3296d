#!/usr/bin/env bash
# The extreme shapes issue 7 names, timed: one session of 5,000 turns with a
# layer of 20,000 corrections (every correction found by the one Aho-Corasick
# pass, none rescanning the session). A quadratic step shows as minutes here.
#   bench/extremes.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
DIR=${1:-/tmp/verbatim-extremes}
rm -rf "$DIR" && mkdir -p "$DIR/content" "$DIR/annotations"
python3 - "$DIR" <<'PY'
import random, sys
d = sys.argv[1]
random.seed(1)
words = "internet governance forum multistakeholder policy access network security privacy development capacity community".split()
with open(f"{d}/content/big.txt", "w") as f:
    for t in range(5000):
        said = " ".join(random.choice(words) for _ in range(30))
        f.write(f">> SPEAKER {t % 50}: Turn {t} says {said} m{t}a m{t}b. And m{t}c m{t}d.\n\n")
with open(f"{d}/annotations/big.yaml", "w") as f:
    f.write("session: big\ncorrections:\n")
    for t in range(5000):
        for s in "abcd":
            f.write(f'  - find: "m{t}{s}"\n    replace: "n{t}{s}"\n')
PY
TIME='wall %e s, user %U s, peak RSS %M KB'
echo "5,000 turns, 20,000 corrections, cold:      $(/usr/bin/time -f "$TIME" target/release/verbatim build --root "$DIR" -q 2>&1 | tail -1)"
echo "5,000 turns, 20,000 corrections, no change: $(/usr/bin/time -f "$TIME" target/release/verbatim build --root "$DIR" -q 2>&1 | tail -1)"
