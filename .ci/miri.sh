#!/usr/bin/env bash
# Miri checks for the book's unsafe code (chapters 19 and 26). Run from anywhere:
#   bash .ci/miri.sh
# 1. The correct lock-free stack (ch19_epoch_stack) runs clean under Miri on several
#    scheduler seeds, with concurrent pushes and pops.
# 2. The outline's stack (ch19_naive_stack) is unsound, and Miri must say so: this half is a
#    test that expects failure.
# Skips (exit 0, with a loud MIRI SKIPPED line) only if Miri cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo +nightly miri --version >/dev/null 2>&1; then
    rustup component add --toolchain nightly miri rust-src >/dev/null 2>&1 || true
fi
if ! version=$(cargo +nightly miri --version 2>&1); then
    echo "MIRI SKIPPED: no nightly toolchain with Miri could be installed: ${version##*$'\n'}"
    exit 0
fi
echo "miri.sh: using $version"
cargo +nightly miri setup >/dev/null 2>&1 || cargo +nightly miri setup

log=$(mktemp)
trap 'rm -f "$log"' EXIT
failures=0
fail() {
    echo "miri.sh: FAILED: $*"
    failures=$((failures + 1))
}
miri_run() { # miri_run FLAGS BIN [ARGS...]: output in $log, returns Miri's exit status
    local flags=$1 bin=$2
    shift 2
    MIRIFLAGS="$flags" cargo +nightly miri run -q -p listings --bin "$bin" -- "$@" >"$log" 2>&1
}

# --- 1. The epoch-based stack must pass. -------------------------------------------------
# -Zmiri-tree-borrows: crossbeam-epoch's own internals break the (stricter, experimental)
#   Stacked Borrows rules, so crossbeam itself runs epoch under Tree Borrows
#   (crossbeam-rs/crossbeam#545).
# -Zmiri-ignore-leaks: garbage still deferred in the global collector when the process exits
#   is never freed, by design (crossbeam-rs/crossbeam#579). The listing checks that its own
#   Drop drops every value instead (Arc::strong_count).
# -Zmiri-permissive-provenance: crossbeam-epoch keeps tagged pointers as integers.
epoch_flags="-Zmiri-tree-borrows -Zmiri-ignore-leaks -Zmiri-permissive-provenance"
seeds=8
echo "miri.sh: ch19_epoch_stack on seeds 0..$seeds (must pass)"
if miri_run "$epoch_flags -Zmiri-many-seeds=0..$seeds" ch19_epoch_stack; then
    runs=$(grep -c "all exactly once" "$log" || true)
    if [ "$runs" -ne "$seeds" ]; then
        cat "$log"
        fail "ch19_epoch_stack: expected $seeds completed runs, saw $runs"
    fi
else
    cat "$log"
    fail "Miri rejected ch19_epoch_stack (output above)"
fi

echo "miri.sh: ch19_solution (take_all) on seeds 0..4 (must pass)"
if miri_run "$epoch_flags -Zmiri-many-seeds=0..4" ch19_solution; then
    runs=$(grep -c "every value taken exactly once" "$log" || true)
    if [ "$runs" -ne 4 ]; then
        cat "$log"
        fail "ch19_solution: expected 4 completed runs, saw $runs"
    fi
else
    cat "$log"
    fail "Miri rejected ch19_solution (output above)"
fi

# --- 2. The outline's stack must be rejected. --------------------------------------------
# Miri's scheduler is deterministic for a given seed; -Zmiri-many-seeds stops at the first
# seed that reports an error. Any seed that lets two poppers load the same head finds it.
echo "miri.sh: ch19_naive_stack on up to 32 seeds (Miri must report undefined behaviour)"
# ANCHOR: expect_ub
if miri_run "-Zmiri-many-seeds=0..32" ch19_naive_stack; then
    fail "ch19_naive_stack ran clean on 32 seeds: Miri did not find the use-after-free"
elif grep -q "^error: Undefined Behavior" "$log"; then
    grep -m1 "^error: Undefined Behavior" "$log"
    grep -m1 "FAILING SEED" "$log" || true
else
    cat "$log"
    fail "ch19_naive_stack failed under Miri, but not with undefined behaviour (output above)"
fi
# ANCHOR_END: expect_ub

echo "miri.sh: ch19_naive_stack leak (Miri must report the leaked nodes)"
if miri_run "" ch19_naive_stack leak; then
    fail "ch19_naive_stack leak: Miri reported no leak"
elif [ "$(grep -c '^error: memory leaked' "$log")" -eq 3 ]; then
    echo "error: memory leaked (3 nodes, as expected)"
else
    cat "$log"
    fail "ch19_naive_stack leak: expected exactly 3 leaked nodes (output above)"
fi

if [ "$failures" -ne 0 ]; then
    echo "miri.sh: $failures check(s) failed"
    exit 1
fi
echo "miri.sh: all Miri checks passed"
