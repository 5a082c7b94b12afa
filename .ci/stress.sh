#!/usr/bin/env bash
# Runs the whole listing suite 20 times in a row while two busy loops keep both cores busy, and
# prints "N passed, M failed". Not part of CI (it takes minutes); run it after touching listings:
#   bash .ci/stress.sh [RUNS]
set -u
cd "$(dirname "$0")/.." || exit 1
runs=${1:-20}
cargo test -q -p listings --test listings --no-run 2>/dev/null || exit 1
busy() { while :; do :; done; }
busy & first=$!
busy & second=$!
trap 'kill $first $second 2>/dev/null' EXIT
passed=0
failed=0
logs=$(mktemp -d)
for i in $(seq 1 "$runs"); do
    if cargo test -q -p listings --test listings >"$logs/run-$i.log" 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "run $i failed: see $logs/run-$i.log"
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
