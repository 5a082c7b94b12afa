#!/usr/bin/env bash
# Loom model checks (chapters 20 and 27). Run from anywhere: bash .ci/loom.sh
#
# Builds with --cfg loom in its own target directory (target/loom), so it does not invalidate
# the normal build's cache. The models are small (LOOM_MAX_PREEMPTIONS defaults to 3 in the
# tests), so they run in seconds even unoptimised; the dev profile is the default because
# `cargo test` also builds every listing binary, and building all of them optimised took
# about 6.5 minutes from scratch on the 2-core machine against 2.5 unoptimised.
# LOOM_RELEASE=1 builds with --release, as loom's documentation recommends for larger models.
#
# Toolchain: loom needs no nightly, so this runs on the same stable toolchain as the rest of
# the book; the only nightly in CI is Miri's, pinned in .ci/nightly. loom itself is pinned by
# Cargo.lock. Both are printed below, so a log says what checked the models.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${LOOM_TARGET_DIR:-target/loom}"
export RUSTFLAGS="--cfg loom"
profile=()
if [ "${LOOM_RELEASE:-0}" = 1 ]; then
    profile=(--release)
fi
tests=()
for file in listings/tests/loom_*.rs; do
    tests+=(--test "$(basename "$file" .rs)")
done
loom_version=$(sed -n '/^name = "loom"$/{n;s/^version = "\(.*\)"$/\1/p}' Cargo.lock)
echo "loom.sh: $(rustc -V), loom $loom_version: ${tests[*]}"
# --no-default-features leaves out kv-server, which needs the tokio that --cfg loom changes.
cargo test -p listings --no-default-features "${profile[@]}" "${tests[@]}"
