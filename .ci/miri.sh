#!/usr/bin/env bash
# Miri checks for the book's unsafe code (chapter 20; chapter 27 explains them). From anywhere:
#   bash .ci/miri.sh              every check below
#   bash .ci/miri.sh --only BIN [--seeds N]
#                                 Miri on one binary, with its flags and seeds (only the first
#                                 N of them with --seeds); exits nonzero on any Miri error,
#                                 including a failed assertion (`cargo xtask mutants` uses it
#                                 for checker = "miri", on the first 2 seeds). BIN is a listing
#                                 (`ch20_epoch_stack`: `cargo miri run -p listings`) or an
#                                 exercise's solution (`20_lock_free_stack_sol`: `cargo miri
#                                 test -p exercises`, the exercise's own tests)
# 1. The correct lock-free stack (ch20_epoch_stack) and the solution of exercise 20
#    (exercises/solutions/20_lock_free_stack.rs, its tests: concurrent pushes, pops and
#    take_alls) run clean under Miri on several scheduler seeds.
# 2. A widely copied stack (ch20_naive_stack) is unsound, and Miri must say so: this half is a
#    test that expects failure, so that a flag or a Miri release that stops finding the bug
#    fails the script instead of passing it.
#
# The nightly toolchain is pinned in .ci/nightly. If Miri cannot be installed the script fails,
# unless MIRI_OPTIONAL=1 is set: then it prints "MIRI SKIPPED" and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: bash .ci/miri.sh [--only BIN [--seeds N]]"
only=""
seeds=""
case "${1:-}" in
    "") ;;
    --only)
        only=${2:?$usage}
        case "${3:-}" in
            "") ;;
            --seeds)
                seeds=${4:?$usage}
                if ! [[ $seeds =~ ^[1-9][0-9]*$ ]]; then
                    echo "$usage (N: a number of seeds, 1 or more)" >&2
                    exit 2
                fi
                ;;
            *)
                echo "$usage" >&2
                exit 2
                ;;
        esac
        ;;
    *)
        echo "$usage" >&2
        exit 2
        ;;
esac

# --- The toolchain ------------------------------------------------------------------------
toolchain=$(sed -n 's/^toolchain=//p' .ci/nightly)
expected=$(sed -n 's/^rustc=//p' .ci/nightly)
skip_or_fail() {
    if [ "${MIRI_OPTIONAL:-0}" = 1 ]; then
        echo "MIRI SKIPPED (MIRI_OPTIONAL=1): $*"
        exit 0
    fi
    echo "miri.sh: FAILED: $* (set MIRI_OPTIONAL=1 to skip Miri instead)"
    exit 1
}
if ! cargo "+$toolchain" miri --version >/dev/null 2>&1; then
    rustup component add --toolchain "$toolchain" miri rust-src >/dev/null 2>&1 || true
fi
if ! version=$(cargo "+$toolchain" miri --version 2>&1); then
    skip_or_fail "no $toolchain toolchain with Miri could be installed: $(head -n1 <<<"$version")"
fi
actual=$(rustc "+$toolchain" -V)
if [ "$actual" != "$expected" ]; then
    if [ "${MIRI_ANY_NIGHTLY:-0}" = 1 ]; then
        echo "miri.sh: WARNING: .ci/nightly pins '$expected', running on '$actual'"
    else
        echo "miri.sh: FAILED: .ci/nightly pins '$expected', but $toolchain is '$actual'."
        echo "  Install the pinned nightly, or check the results on this one and update"
        echo "  .ci/nightly (see the comments there); MIRI_ANY_NIGHTLY=1 runs anyway."
        exit 1
    fi
fi
echo "miri.sh: using $version ($actual)"
cargo "+$toolchain" miri setup >/dev/null 2>&1 || cargo "+$toolchain" miri setup

log=$(mktemp)
trap 'rm -f "$log"' EXIT
miri_run() { # miri_run FLAGS BIN [ARGS...]: output in $log, returns Miri's exit status
    local flags=$1 bin=$2
    shift 2
    case $bin in
        # An exercise's solution: its tests are its check (exercises/Cargo.toml's bins).
        *_sol)
            MIRIFLAGS="$flags" cargo "+$toolchain" miri test -q -p exercises --bin "$bin" \
                -- "$@" >"$log" 2>&1
            ;;
        *)
            MIRIFLAGS="$flags" cargo "+$toolchain" miri run -q -p listings --bin "$bin" -- "$@" \
                >"$log" 2>&1
            ;;
    esac
}

# --- Each binary's flags --------------------------------------------------------------------
# -Zmiri-tree-borrows: crossbeam-epoch's own internals break the (stricter, experimental)
#   Stacked Borrows rules, so crossbeam itself runs epoch under Tree Borrows
#   (crossbeam-rs/crossbeam#545).
# -Zmiri-ignore-leaks: garbage still deferred in the global collector when the process exits
#   is never freed, by design (crossbeam-rs/crossbeam#579). This hides every leak, ours too:
#   the listing tests check the stack's Drop with a counting allocator instead
#   (listings/tests/listings/ch20.rs).
# -Zmiri-address-reuse-rate=0: crossbeam-epoch keeps pointers as integers and casts them back,
#   so Miri cannot tell which allocation such a pointer came from; it accepts any access to
#   an allocation whose address the program exposed. If a freed node's address could be
#   handed to a new node, a stale pointer would look valid. Without reuse, every access
#   through a stale pointer lands in freed memory, which Miri reports.
# Miri warns about those integer-to-pointer casts ("Miri might miss pointer bugs in this
# program"); the warning stays visible on purpose (no -Zmiri-permissive-provenance).
epoch_flags="-Zmiri-tree-borrows -Zmiri-ignore-leaks -Zmiri-address-reuse-rate=0"
flags_for() {
    case $1 in
        ch20_epoch_stack) echo "$epoch_flags -Zmiri-many-seeds=0..8" ;;
        20_lock_free_stack_sol) echo "$epoch_flags -Zmiri-many-seeds=0..4" ;;
        ch20_naive_stack) echo "-Zmiri-many-seeds=0..32" ;;
        *) return 1 ;;
    esac
}

if [ -n "$only" ]; then
    if ! flags=$(flags_for "$only"); then
        echo "miri.sh: no Miri flags for '$only' (known: ch20_epoch_stack," \
            "20_lock_free_stack_sol, ch20_naive_stack)" >&2
        exit 2
    fi
    # --seeds N: the first N of the binary's seeds, -Zmiri-many-seeds=0..K becomes 0..min(N, K).
    if [ -n "$seeds" ] && [[ $flags =~ -Zmiri-many-seeds=0\.\.([0-9]+) ]]; then
        all=${BASH_REMATCH[1]}
        flags=${flags/-Zmiri-many-seeds=0..$all/-Zmiri-many-seeds=0..$((seeds < all ? seeds : all))}
    fi
    started=$SECONDS
    if miri_run "$flags" "$only"; then
        echo "miri.sh --only $only: clean ($flags), $((SECONDS - started)) s"
        exit 0
    fi
    grep -v '^ \{5,\}' "$log" | tail -40
    echo "miri.sh --only $only: Miri failed ($flags), $((SECONDS - started)) s:"
    grep -m1 -E '^error|panicked at' "$log" || true
    grep -m1 "FAILING SEED" "$log" || true
    exit 1
fi

failures=0
fail() {
    echo "miri.sh: FAILED: $*"
    failures=$((failures + 1))
}

# --- 1. The epoch-based stack and the exercise's solution must pass. ----------------------
# Miri's scheduler is deterministic for a given seed; -Zmiri-many-seeds tries every seed, on
# several threads at once, so the runs' output interleaves. Every completed run prints LAST
# once (a listing's last line, or the test summary), counted wherever it lands in a line.
expect_clean() { # expect_clean BIN SEEDS LAST
    local bin=$1 seeds=$2 last=$3 runs
    echo "miri.sh: $bin on seeds 0..$seeds (must pass)"
    local started=$SECONDS
    if miri_run "$(flags_for "$bin")" "$bin"; then
        runs=$(grep -o -F "$last" "$log" | wc -l)
        if [ "$runs" -ne "$seeds" ]; then
            cat "$log"
            fail "$bin: expected $seeds completed runs, saw $runs"
        fi
        if ! grep -q "integer-to-pointer cast" "$log"; then
            # If crossbeam stops casting integers to pointers, the blind spot described in
            # chapter 20 is gone: the chapter (and these flags) should say so.
            fail "$bin: Miri no longer warns about integer-to-pointer casts; update chapter 20"
        fi
    else
        cat "$log"
        fail "Miri rejected $bin (output above)"
    fi
    echo "miri.sh: $bin took $((SECONDS - started)) s"
}
expect_clean ch20_epoch_stack 8 "dropping the stack dropped the 3 values still on it"
expect_clean 20_lock_free_stack_sol 4 "3 passed; 0 failed"

# --- 2. The widely copied stack must be rejected. -----------------------------------------
# -Zmiri-many-seeds stops at the first seed that reports an error. Any seed that lets two
# poppers load the same head finds it.
echo "miri.sh: ch20_naive_stack on up to 32 seeds (Miri must report undefined behaviour)"
# ANCHOR: expect_ub
if miri_run "-Zmiri-many-seeds=0..32" ch20_naive_stack; then
    fail "ch20_naive_stack ran clean on 32 seeds: Miri did not find the use-after-free"
elif grep -q "^error: Undefined Behavior" "$log"; then
    grep -m1 "^error: Undefined Behavior" "$log"
    grep -m1 "FAILING SEED" "$log" || true
else
    cat "$log"
    fail "ch20_naive_stack failed under Miri, but not with undefined behaviour (output above)"
fi
# ANCHOR_END: expect_ub

echo "miri.sh: ch20_naive_stack leak (Miri must report the leaked nodes)"
if miri_run "" ch20_naive_stack leak; then
    fail "ch20_naive_stack leak: Miri reported no leak"
elif [ "$(grep -c '^error: memory leaked' "$log")" -eq 3 ]; then
    echo "error: memory leaked (3 nodes, as expected)"
else
    cat "$log"
    fail "ch20_naive_stack leak: expected exactly 3 leaked nodes (output above)"
fi

if [ "$failures" -ne 0 ]; then
    echo "miri.sh: $failures check(s) failed"
    exit 1
fi
echo "miri.sh: all Miri checks passed"
