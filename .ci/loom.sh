#!/usr/bin/env bash
# Loom model checks (chapters 19 and 26). Run from anywhere: bash .ci/loom.sh
# Builds with --cfg loom in its own target directory, so it does not invalidate the normal
# build's cache. LOOM_MAX_PREEMPTIONS (default 3 in the tests) bounds the search.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${LOOM_TARGET_DIR:-target/loom}"
export RUSTFLAGS="--cfg loom"
for test in listings/tests/loom_*.rs; do
    name=$(basename "$test" .rs)
    echo "loom.sh: $name"
    cargo test -p listings --release --test "$name"
done
