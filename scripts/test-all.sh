#!/usr/bin/env bash
# Runs every test of the project on a fresh machine or a warm one, doing its own set-up:
#   1. toolchains (apt packages, kotlinc, Swift 6.0.3, tree-sitter) into ~/.cache/qamqor, reused when present
#   2. the Rust workspace: unit, integration and CLI tests (cargo test)
#   3. the UniFFI bindings generated from the built library, then the Kotlin suite on the JVM and
#      the Swift suite with XCTest, both against that real library
# Ends with one line "all: N passed, N failed"; exits non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_DIR=${QAMQOR_TEST_LOG_DIR:-build/test-logs}
mkdir -p "$LOG_DIR"
step() { printf '\n== %s\n' "$*"; }

step "toolchains"
scripts/toolchains.sh

step "rust: cargo test --workspace"
status=0
cargo test --workspace --locked 2>&1 | tee "$LOG_DIR/cargo.log" || status=1
rust_passed=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^passed/) s += $i } END { print s + 0 }' "$LOG_DIR/cargo.log")
rust_failed=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^failed/) s += $i } END { print s + 0 }' "$LOG_DIR/cargo.log")
[ "$status" -eq 0 ] || [ "$rust_failed" -gt 0 ] || rust_failed=1   # a build failure counts as a failure

step "bindings: generate Kotlin and Swift from the built library"
# The dev profile reuses what cargo test just compiled; the release build is for benchmarks and apps.
QAMQOR_FFI_PROFILE=${QAMQOR_FFI_PROFILE:-dev} scripts/gen-bindings.sh

step "kotlin: generated bindings + tests on the JVM"
scripts/test-kotlin.sh 2>&1 | tee "$LOG_DIR/kotlin.log" || status=1
step "swift: generated bindings + XCTest"
scripts/test-swift.sh 2>&1 | tee "$LOG_DIR/swift.log" || status=1

# A runner that died before its summary line counts as one failure.
count() {
  local v
  v=$(sed -n "s/^$1: \([0-9]*\) passed, \([0-9]*\) failed$/\\$2/p" "$LOG_DIR/$1.log" | tail -1)
  if [ -n "$v" ]; then echo "$v"; elif [ "$2" = 2 ]; then echo 1; else echo 0; fi
}
passed=$((rust_passed + $(count kotlin 1) + $(count swift 1)))
failed=$((rust_failed + $(count kotlin 2) + $(count swift 2)))
echo
echo "rust: $rust_passed passed, $rust_failed failed"
echo "kotlin: $(count kotlin 1) passed, $(count kotlin 2) failed"
echo "swift: $(count swift 1) passed, $(count swift 2) failed"
echo "all: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
