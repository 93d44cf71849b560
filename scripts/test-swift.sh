#!/usr/bin/env bash
# scripts/test-swift.sh — typecheck and compile the generated Swift bindings with a real Swift 6.0.3
# compiler, then build and run the XCTest tests in bindings/tests/swift against the real Rust library.
#
# Swift here is Debian trixie's swiftlang, unpacked by scripts/toolchains.sh into the cache. It needs
# trixie's glibc, so every Swift binary runs through trixie's loader ($SWIFT_LDSO --library-path ...).
# swift-frontend is called directly (the `swiftc` driver would spawn its jobs with the system loader).
#
#   1. bindings:  bindings/generated/swift (scripts/gen-bindings.sh --language swift if missing, or --gen)
#   2. module:    the generated *.swift typechecked in Swift 5 mode, then compiled in Swift 6 mode
#                 (strict concurrency) as module $QAMQOR_SWIFT_MODULE (QamqorCore): .swiftmodule + .o,
#                 with every generated *.modulemap (QamqorCoreFFI) for the C side; -enable-testing
#   3. tests:     every *.swift under bindings/tests/swift + a generated main.swift (XCTest discovery:
#                 scripts/swift-xctest-main.py), compiled in Swift 5 mode as module QamqorBindingTests;
#                 QamqorCore is imported implicitly (an explicit `import QamqorCore` or
#                 `@testable import QamqorCore` works too)
#   4. link:      swift-autolink-extract + the system gcc (--dynamic-linker = trixie's loader), against
#                 the library via -l:<file name>
#   5. run:       through trixie's loader; XCTest's output is shown, and tests are counted from its
#                 "Test Case '...' passed/failed/skipped" lines
#
# Writing a test: any file under bindings/tests/swift with
#     import XCTest
#     final class RiskTests: XCTestCase {
#         func testSomething() throws { XCTAssertEqual(try something(), 42) }   // also: async
#     }
# (the class at the top level of the file; methods named test*, no parameters, not private). Tests
# compile in Swift 5 mode: XCTest's test tables aren't Swift 6 (strict concurrency) clean on Linux.
#
# Output ends with the plain line "swift: N passed, N failed" — also when compilation fails or the test
# binary crashes (a crash counts as one more failure). Exit status 0 only if all passed and one ran.
#
# Usage: scripts/test-swift.sh [--gen] [--filter CLASS[/testMethod]] [-h]
#   --gen           regenerate the bindings first (cargo build + uniffi-bindgen)
#   --filter SPEC   run only that XCTest class or test (XCTest's own selector syntax)
# Environment:
#   QAMQOR_BINDINGS_DIR      generated bindings (default <repo>/bindings/generated)
#   QAMQOR_SWIFT_TESTS_DIR   test sources (default <repo>/bindings/tests/swift)
#   QAMQOR_TEST_BUILD_DIR    build output (default <repo>/build/bindings-tests; git-ignored)
#   QAMQOR_FFI_LIB           library to link and load (default: the one recorded in bindings.env)
#   QAMQOR_SWIFT_MODULE      module name for the generated Swift (default: from bindings.env)
#   QAMQOR_TEST_TIMEOUT      seconds before the test binary is killed (default 900)
#   QAMQOR_CACHE, QAMQOR_*   as for scripts/toolchains.sh; QAMQOR_FFI_* as for scripts/gen-bindings.sh
set -euo pipefail

LABEL=swift
SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$SCRIPTS")"
GEN="${QAMQOR_BINDINGS_DIR:-$REPO/bindings/generated}"
TESTS="${QAMQOR_SWIFT_TESTS_DIR:-$REPO/bindings/tests/swift}"
BUILD="${QAMQOR_TEST_BUILD_DIR:-$REPO/build/bindings-tests}/swift"
TIMEOUT="${QAMQOR_TEST_TIMEOUT:-900}"
TEST_MODULE=QamqorBindingTests
REGEN=0
FILTER=()

log() { printf '[test-swift] %s\n' "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

while (($#)); do
    case "$1" in
        --gen) REGEN=1 ;;
        --filter) # XCTest names tests Module.Class/testMethod
            [[ $# -ge 2 ]] || { log "--filter needs CLASS or CLASS/testMethod"; exit 2; }
            if [[ "${2%%/*}" == *.* ]]; then FILTER=("$2"); else FILTER=("$TEST_MODULE.$2"); fi
            shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) log "unknown argument: $1 (try --help)"; exit 2 ;;
    esac
    shift
done

# whatever happens from here on, the output ends with a summary line
# shellcheck source-path=SCRIPTDIR source=lib/test-runner.sh
. "$SCRIPTS/lib/test-runner.sh"

T_ALL=$(now)
# ---------------------------------------------------------------- toolchains + bindings
"$SCRIPTS/toolchains.sh" --no-kotlin --no-tree-sitter >/dev/null || fail "toolchain set-up failed"
# shellcheck disable=SC1091
. "${QAMQOR_CACHE:-$HOME/.cache/qamqor}/env.sh"
[[ -n "${SWIFT_FRONTEND:-}" ]] || fail "env.sh has no SWIFT_FRONTEND"
[[ "${SWIFT_XCTEST:-0}" == 1 ]] || fail "this Swift toolchain has no XCTest"

if ((REGEN)) || [[ ! -d "$GEN/swift" || ! -f "$GEN/bindings.env" ]]; then
    "$SCRIPTS/gen-bindings.sh" --language swift || fail "generating the bindings failed"
fi
LIB_OVERRIDE="${QAMQOR_FFI_LIB:-}" MODULE_OVERRIDE="${QAMQOR_SWIFT_MODULE:-}"
# shellcheck disable=SC1091
. "$GEN/bindings.env"
LIB="${LIB_OVERRIDE:-$QAMQOR_FFI_LIB}"
MODULE="${MODULE_OVERRIDE:-${QAMQOR_SWIFT_MODULE:-}}"
[[ -n "$MODULE" ]] || fail "no Swift module name (bindings.env lacks QAMQOR_SWIFT_MODULE; run scripts/gen-bindings.sh)"
[[ -f "$LIB" ]] || fail "library not found: $LIB (run scripts/gen-bindings.sh)"
LIB_DIR="$(cd "$(dirname "$LIB")" && pwd)"
LIB_FILE="$(basename "$LIB")"

mapfile -t GEN_SWIFT < <(find "$GEN/swift" -maxdepth 1 -name '*.swift' | sort)
mapfile -t MODULEMAPS < <(find "$GEN/swift" -maxdepth 1 -name '*.modulemap' | sort)
((${#GEN_SWIFT[@]})) || fail "no generated .swift files in $GEN/swift"
((${#MODULEMAPS[@]})) || fail "no generated .modulemap in $GEN/swift"
TEST_SWIFT=()
[[ -d "$TESTS" ]] && mapfile -t TEST_SWIFT < <(find "$TESTS" -name '*.swift' | sort)
((${#TEST_SWIFT[@]})) || fail "no Swift tests (*.swift) under $TESTS"
for f in "${TEST_SWIFT[@]}"; do
    [[ "$(basename "$f")" != main.swift ]] || fail "$f: main.swift is generated (XCTest discovery); rename the file"
done

# ---------------------------------------------------------------- compile
swift_tool() { "$SWIFT_LDSO" --library-path "$SWIFT_LIBRARY_PATH" "$@"; }
frontend() { swift_tool "$SWIFT_FRONTEND" -frontend "$@"; }
COMMON=(-resource-dir "$SWIFT_RESOURCE_DIR" -target x86_64-pc-linux-gnu -I "$GEN/swift")
for mm in "${MODULEMAPS[@]}"; do COMMON+=(-Xcc -fmodule-map-file="$mm"); done
rm -rf -- "$BUILD"
mkdir -p -- "$BUILD/modules" "$BUILD/gen"

t0=$(now)
frontend -typecheck -swift-version 5 "${COMMON[@]}" -module-name "$MODULE" "${GEN_SWIFT[@]}" ||
    fail "the generated bindings do not typecheck in Swift 5 mode"
log "bindings typecheck (Swift 5 mode): $(elapsed "$t0")"
t0=$(now)
frontend -c -swift-version 6 "${COMMON[@]}" -module-name "$MODULE" -parse-as-library -enable-testing \
    -emit-module-path "$BUILD/modules/$MODULE.swiftmodule" -o "$BUILD/$MODULE.o" "${GEN_SWIFT[@]}" ||
    fail "the generated bindings do not compile in Swift 6 mode"
log "bindings compile (Swift 6 mode) -> module $MODULE: $(elapsed "$t0")"

python3 "$SCRIPTS/swift-xctest-main.py" "${TEST_SWIFT[@]}" >"$BUILD/gen/main.swift" ||
    fail "test discovery found no XCTestCase tests in $TESTS"
t0=$(now)
frontend -c -swift-version 5 "${COMMON[@]}" -I "$BUILD/modules" -import-module "$MODULE" \
    -module-name "$TEST_MODULE" -o "$BUILD/$TEST_MODULE.o" "${TEST_SWIFT[@]}" "$BUILD/gen/main.swift" ||
    fail "the Swift tests do not compile"
log "tests compile: $(elapsed "$t0")"

t0=$(now)
swift_tool "$SWIFT_AUTOLINK_EXTRACT" "$BUILD/$MODULE.o" "$BUILD/$TEST_MODULE.o" -o "$BUILD/autolink.txt" ||
    fail "swift-autolink-extract failed"
mapfile -t AUTOLINK <"$BUILD/autolink.txt"
# libswiftCore etc. need GLIBC_2.38 symbols that the system's libc.so lacks: they resolve at run time
# against trixie's libc, hence --allow-shlib-undefined
gcc -o "$BUILD/$TEST_MODULE" "$SWIFT_RUNTIME_LIB_DIR/x86_64/swiftrt.o" "$BUILD/$MODULE.o" "$BUILD/$TEST_MODULE.o" \
    -L"$SWIFT_RUNTIME_LIB_DIR" -L"$LIB_DIR" -l:"$LIB_FILE" "${AUTOLINK[@]}" \
    -Wl,--allow-shlib-undefined -Wl,--dynamic-linker="$SWIFT_LDSO" || fail "linking the test binary failed"
log "link: $(elapsed "$t0")"

# ---------------------------------------------------------------- run
# the real sync server for the scenarios that sign in and sync (scripts/lib/test-server.sh)
# shellcheck source-path=SCRIPTDIR source=lib/test-server.sh
. "$SCRIPTS/lib/test-server.sh"
start_test_server "$REPO" || fail "the test server did not start"
log "test server at $QAMQOR_TEST_SERVER_URL"
log "running XCTest against $LIB"
t0=$(now)
set +e # a failing test run is not a reason to stop here
timeout --kill-after=10 "$TIMEOUT" "$SWIFT_LDSO" --library-path "$SWIFT_LIBRARY_PATH:$LIB_DIR" \
    "$BUILD/$TEST_MODULE" "${FILTER[@]+"${FILTER[@]}"}" 2>&1 | tee "$BUILD/last-run.log"
rc=${PIPESTATUS[0]}
set -e
log "XCTest run: $(elapsed "$t0") (total $(elapsed "$T_ALL"))"

passed=$(grep -Ec "^Test Case '[^']+' passed" "$BUILD/last-run.log" || true)
failed=$(grep -Ec "^Test Case '[^']+' failed" "$BUILD/last-run.log" || true)
skipped=$(grep -Ec "^Test Case '[^']+' skipped" "$BUILD/last-run.log" || true)
if ! grep -Eq "^Test Suite '(All tests|Selected tests)' (passed|failed)" "$BUILD/last-run.log"; then
    if ((rc == 124)); then
        log "ERROR: the test binary was killed after ${TIMEOUT}s: counted as one more failure"
    else
        log "ERROR: the test binary ended before XCTest finished (exit status $rc): counted as one more failure"
    fi
    failed=$((failed + 1))
fi
((skipped == 0)) || printf '%s: %d skipped\n' "$LABEL" "$skipped"
printf '%s: %d passed, %d failed\n' "$LABEL" "$passed" "$failed"
SUMMARY_DONE=1
if ((rc == 0 && failed == 0 && passed > 0)); then exit 0; fi
((rc != 0)) || rc=1
exit "$rc"
