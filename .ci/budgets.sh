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

# Runs a command quietly; prints its wall-clock seconds, and leaves in $cpu the CPU seconds
# (user + system, children included) it used: on a shared machine the CPU time is the number
# to compare, the wall time the one the budget is about.
cpu=
seconds() {
    local start times
    start=$(date +%s.%N)
    times=$(mktemp)
    /usr/bin/time -f '%U %S' -o "$times" "$@" >/dev/null 2>&1 || echo "error: \`$*\` failed" >&2
    python3 -c "print(round($(date +%s.%N) - $start, 1))"
    cpu=$(python3 -c "u, s = open('$times').read().split()[-2:]; print(round(float(u) + float(s), 1))")
    rm -f "$times"
}

over=0
check() { # name seconds budget
    echo "$1: $2 s, $cpu s of CPU (budget $3 s; load average $(cut -d' ' -f1-3 /proc/loadavg);" \
        "RUST_BACKTRACE=${RUST_BACKTRACE:-unset})"
    if python3 -c "import sys; sys.exit(0 if $2 <= $3 else 1)"; then :; else over=1; fi
}

CARGO_TARGET_DIR="$cold_dir" seconds cargo test >"$cold_dir/seconds"
check "cold cargo test" "$(cat "$cold_dir/seconds")" 120

chapter=src/ch01-spawning-threads.md
cp "$chapter" "$cold_dir/chapter.bak"
# A line near the top: every block below it moves, so its tests are renamed and rebuilt.
sed -i '1a <!-- budget probe -->' "$chapter"
CARGO_TARGET_DIR="$cold_dir" seconds cargo test >"$cold_dir/seconds"
cp "$cold_dir/chapter.bak" "$chapter"
check "warm cargo test after editing $chapter" "$(cat "$cold_dir/seconds")" 8

tools=$(cargo xtask tools)
PATH="$tools/bin:$PATH" seconds mdbook build -d "$cold_dir/book" >"$cold_dir/seconds"
check "mdbook build (HTML and linkcheck2)" "$(cat "$cold_dir/seconds")" 5
exit "$over"
