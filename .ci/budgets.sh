#!/usr/bin/env bash
# Measures the three budgets the project holds itself to (not run by CI: it takes minutes and
# its numbers depend on the machine). Prints one line per budget, with the load average, since
# a busy machine makes every number worse. Exits 1 if a budget is exceeded.
#   cold `cargo test` (fresh target dir)          <= 120 s on a 2-core machine
#   warm `cargo test` after editing one chapter    <= 8 s
#   `mdbook build` (HTML and link check)           <= 5 s
set -euo pipefail
cd "$(dirname "$0")/.."
cold_dir=$(mktemp -d)
trap 'rm -rf "$cold_dir"' EXIT

seconds() { local start=$SECONDS; "$@" >/dev/null 2>&1; echo $((SECONDS - start)); }

over=0
check() { # name seconds budget
    echo "$1: $2 s (budget $3 s; load average $(cut -d' ' -f1-3 /proc/loadavg))"
    if python3 -c "import sys; sys.exit(0 if $2 <= $3 else 1)"; then :; else over=1; fi
}

cold=$(CARGO_TARGET_DIR="$cold_dir" seconds cargo test)
check "cold cargo test" "$cold" 120

chapter=src/ch01-spawning-threads.md
cp "$chapter" "$cold_dir/chapter.bak"
# A line near the top: every block below it moves, so its tests are renamed and rebuilt.
sed -i '1a <!-- budget probe -->' "$chapter"
warm=$(CARGO_TARGET_DIR="$cold_dir" seconds cargo test)
cp "$cold_dir/chapter.bak" "$chapter"
check "warm cargo test after editing $chapter" "$warm" 8

tools=$(cargo xtask tools)
start=$(date +%s.%N)
PATH="$tools/bin:$PATH" mdbook build -d "$cold_dir/book" >/dev/null 2>&1
end=$(date +%s.%N)
check "mdbook build (HTML and linkcheck2)" "$(python3 -c "print(round($end - $start, 2))")" 5
exit "$over"
