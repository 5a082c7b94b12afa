#!/usr/bin/env bash
# Measures the three budgets the project holds itself to (not run by CI: it takes minutes and
# its numbers depend on the machine). Prints one line per budget.
#   cold `cargo test` (fresh target dir)          <= 5 min on a 2-core machine
#   warm `cargo test` after editing one chapter    <= 15 s
#   `mdbook build` (HTML and link check)           <= 5 s
set -euo pipefail
cd "$(dirname "$0")/.."
cold_dir=$(mktemp -d)
trap 'rm -rf "$cold_dir"' EXIT

seconds() { local start=$SECONDS; "$@" >/dev/null 2>&1; echo $((SECONDS - start)); }

cold=$(CARGO_TARGET_DIR="$cold_dir" seconds cargo test)
echo "cold cargo test: ${cold} s (budget 300 s)"

chapter=src/ch01-spawning-threads.md
cp "$chapter" "$cold_dir/chapter.bak"
echo "<!-- budget probe -->" >> "$chapter"
warm=$(CARGO_TARGET_DIR="$cold_dir" seconds cargo test)
cp "$cold_dir/chapter.bak" "$chapter"
echo "warm cargo test after editing $chapter: ${warm} s (budget 15 s)"

tools=$(cargo xtask tools)
start=$(date +%s.%N)
PATH="$tools/bin:$PATH" mdbook build -d "$cold_dir/book" >/dev/null 2>&1
end=$(date +%s.%N)
echo "mdbook build (HTML and linkcheck2): $(python3 -c "print(round($end - $start, 2))") s (budget 5 s)"
