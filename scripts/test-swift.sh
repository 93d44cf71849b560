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
# The iOS app's models (ios/, when present) go through the same steps with a second test binary:
#   6. ios syntax: every Swift file under ios/ (the SwiftUI views in ios/App, which cannot be compiled
#                 here) parsed with tree-sitter (scripts/check-syntax.sh); a syntax error is a failure
#   7. ios models: ios/QamqorKit/Sources/QamqorModels/** compiled in Swift 6 mode (strict concurrency)
#                 as module QamqorModels against the QamqorCore module of step 2 (no SwiftUI, no
#                 Combine on Linux: the models guard them)
#   8. ios tests: ios/QamqorKit/Tests/QamqorModelsTests/** + their generated main.swift, in Swift 5 mode
#                 as module QamqorModelsTests, linked and run like step 4-5 against the same library
#                 and the same test server; their counts join the bindings' in the summary line
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
# Usage: scripts/test-swift.sh [--gen] [--filter CLASS[/testMethod]] [--no-ios] [-h]
#   --gen           regenerate the bindings first (cargo build + uniffi-bindgen)
#   --filter SPEC   run only that XCTest class or test (XCTest's own selector syntax); a class of the
#                   iOS model tests runs only the iOS binary, any other only the bindings' binary
#   --no-ios        skip steps 6-8 (the iOS app's syntax check, models and their tests)
# Environment:
#   QAMQOR_BINDINGS_DIR      generated bindings (default <repo>/bindings/generated)
#   QAMQOR_SWIFT_TESTS_DIR   test sources (default <repo>/bindings/tests/swift)
#   QAMQOR_IOS_DIR           the iOS app (default <repo>/ios; steps 6-8 run if it has QamqorKit/Sources/QamqorModels)
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
IOS="${QAMQOR_IOS_DIR:-$REPO/ios}"
IOS_MODELS_MODULE=QamqorModels
IOS_TEST_MODULE=QamqorModelsTests
REGEN=0
WITH_IOS=1
FILTER=()
FILTER_SPEC=""

log() { printf '[test-swift] %s\n' "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

while (($#)); do
    case "$1" in
        --gen) REGEN=1 ;;
        --filter) # XCTest names tests Module.Class/testMethod; the module is resolved below
            [[ $# -ge 2 ]] || { log "--filter needs CLASS or CLASS/testMethod"; exit 2; }
            FILTER_SPEC="$2"
            shift ;;
        --no-ios) WITH_IOS=0 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) log "unknown argument: $1 (try --help)"; exit 2 ;;
    esac
    shift
done

IOS_MODELS=()
IOS_TESTS=()
if ((WITH_IOS)) && [[ -d "$IOS/QamqorKit/Sources/$IOS_MODELS_MODULE" ]]; then
    mapfile -t IOS_MODELS < <(find "$IOS/QamqorKit/Sources/$IOS_MODELS_MODULE" -name '*.swift' | sort)
    [[ -d "$IOS/QamqorKit/Tests/$IOS_TEST_MODULE" ]] &&
        mapfile -t IOS_TESTS < <(find "$IOS/QamqorKit/Tests/$IOS_TEST_MODULE" -name '*.swift' | sort)
else
    WITH_IOS=0
fi
# Which binary a --filter belongs to: Module.Class as given, else the module whose sources declare the class.
RUN_BINDINGS=1
RUN_IOS=$WITH_IOS
if [[ -n "$FILTER_SPEC" ]]; then
    class="${FILTER_SPEC%%/*}"
    if [[ "$class" == *.* ]]; then
        FILTER=("$FILTER_SPEC")
        module="${class%%.*}"
    elif ((WITH_IOS)) && ((${#IOS_TESTS[@]})) && grep -Eqs "class[[:space:]]+$class[[:space:]]*:" "${IOS_TESTS[@]}"; then
        FILTER=("$IOS_TEST_MODULE.$FILTER_SPEC")
        module=$IOS_TEST_MODULE
    else
        FILTER=("$TEST_MODULE.$FILTER_SPEC")
        module=$TEST_MODULE
    fi
    [[ "$module" == "$IOS_TEST_MODULE" ]] && RUN_BINDINGS=0 || RUN_IOS=0
fi

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

# ---------------------------------------------------------------- the iOS app: syntax, models, tests
SYNTAX_FAILED=0
if ((WITH_IOS)); then
    t0=$(now)
    # SwiftUI cannot be compiled here: every file under ios/ is at least parsed (tree-sitter)
    if "$SCRIPTS/check-syntax.sh" "$IOS" >"$BUILD/ios-syntax.log" 2>&1; then
        log "ios syntax (tree-sitter): $(grep -E '^syntax:' "$BUILD/ios-syntax.log" | tail -1) ($(elapsed "$t0"))"
    else
        SYNTAX_FAILED=1
        grep -Ev '^OK ' "$BUILD/ios-syntax.log" >&2 || true
        log "ERROR: the iOS sources have syntax errors (see above): counted as one failure"
    fi
fi
if ((RUN_IOS)); then
    ((${#IOS_MODELS[@]})) || fail "no Swift files under $IOS/QamqorKit/Sources/$IOS_MODELS_MODULE"
    ((${#IOS_TESTS[@]})) || fail "no Swift tests under $IOS/QamqorKit/Tests/$IOS_TEST_MODULE"
    for f in "${IOS_TESTS[@]}"; do
        [[ "$(basename "$f")" != main.swift ]] || fail "$f: main.swift is generated (XCTest discovery); rename the file"
    done
    t0=$(now)
    frontend -c -swift-version 6 "${COMMON[@]}" -I "$BUILD/modules" -module-name "$IOS_MODELS_MODULE" -parse-as-library \
        -enable-testing -emit-module-path "$BUILD/modules/$IOS_MODELS_MODULE.swiftmodule" -o "$BUILD/$IOS_MODELS_MODULE.o" \
        "${IOS_MODELS[@]}" || fail "the iOS models ($IOS_MODELS_MODULE) do not compile in Swift 6 mode"
    log "ios models compile (Swift 6 mode) -> module $IOS_MODELS_MODULE: $(elapsed "$t0")"
    mkdir -p "$BUILD/gen-ios"
    python3 "$SCRIPTS/swift-xctest-main.py" "${IOS_TESTS[@]}" >"$BUILD/gen-ios/main.swift" ||
        fail "test discovery found no XCTestCase tests in $IOS/QamqorKit/Tests/$IOS_TEST_MODULE"
    t0=$(now)
    frontend -c -swift-version 5 "${COMMON[@]}" -I "$BUILD/modules" -module-name "$IOS_TEST_MODULE" \
        -o "$BUILD/$IOS_TEST_MODULE.o" "${IOS_TESTS[@]}" "$BUILD/gen-ios/main.swift" || fail "the iOS model tests do not compile"
    log "ios tests compile: $(elapsed "$t0")"
    t0=$(now)
    swift_tool "$SWIFT_AUTOLINK_EXTRACT" "$BUILD/$MODULE.o" "$BUILD/$IOS_MODELS_MODULE.o" "$BUILD/$IOS_TEST_MODULE.o" \
        -o "$BUILD/autolink-ios.txt" || fail "swift-autolink-extract failed (ios)"
    mapfile -t AUTOLINK_IOS <"$BUILD/autolink-ios.txt"
    gcc -o "$BUILD/$IOS_TEST_MODULE" "$SWIFT_RUNTIME_LIB_DIR/x86_64/swiftrt.o" "$BUILD/$MODULE.o" "$BUILD/$IOS_MODELS_MODULE.o" \
        "$BUILD/$IOS_TEST_MODULE.o" -L"$SWIFT_RUNTIME_LIB_DIR" -L"$LIB_DIR" -l:"$LIB_FILE" "${AUTOLINK_IOS[@]}" \
        -Wl,--allow-shlib-undefined -Wl,--dynamic-linker="$SWIFT_LDSO" || fail "linking the iOS test binary failed"
    log "ios link: $(elapsed "$t0")"
fi

# ---------------------------------------------------------------- run
# the real sync server for the scenarios that sign in and sync (scripts/lib/test-server.sh)
# shellcheck source-path=SCRIPTDIR source=lib/test-server.sh
. "$SCRIPTS/lib/test-server.sh"
start_test_server "$REPO" || fail "the test server did not start"
log "test server at $QAMQOR_TEST_SERVER_URL"
passed=0 failed=0 skipped=0 rc=0
# run_xctest BINARY LOG: runs one test binary, adds its counts; a binary that ends before XCTest's
# final suite line (crash, timeout) counts as one more failure
run_xctest() {
    local binary="$1" log_file="$2" status t0
    log "running $(basename "$binary") against $LIB"
    t0=$(now)
    set +e # a failing test run is not a reason to stop here
    timeout --kill-after=10 "$TIMEOUT" "$SWIFT_LDSO" --library-path "$SWIFT_LIBRARY_PATH:$LIB_DIR" \
        "$binary" "${FILTER[@]+"${FILTER[@]}"}" 2>&1 | tee "$log_file"
    status=${PIPESTATUS[0]}
    set -e
    log "$(basename "$binary") run: $(elapsed "$t0") (total $(elapsed "$T_ALL"))"
    passed=$((passed + $(grep -Ec "^Test Case '[^']+' passed" "$log_file" || true)))
    failed=$((failed + $(grep -Ec "^Test Case '[^']+' failed" "$log_file" || true)))
    skipped=$((skipped + $(grep -Ec "^Test Case '[^']+' skipped" "$log_file" || true)))
    if ! grep -Eq "^Test Suite '(All tests|Selected tests)' (passed|failed)" "$log_file"; then
        if ((status == 124)); then
            log "ERROR: $(basename "$binary") was killed after ${TIMEOUT}s: counted as one more failure"
        else
            log "ERROR: $(basename "$binary") ended before XCTest finished (exit status $status): counted as one more failure"
        fi
        failed=$((failed + 1))
    fi
    ((status == 0)) || rc=$status
}
((RUN_BINDINGS)) && run_xctest "$BUILD/$TEST_MODULE" "$BUILD/last-run.log"
((RUN_IOS)) && run_xctest "$BUILD/$IOS_TEST_MODULE" "$BUILD/last-run-ios.log"
if ((SYNTAX_FAILED)); then
    failed=$((failed + 1))
    ((rc != 0)) || rc=1
fi
((skipped == 0)) || printf '%s: %d skipped\n' "$LABEL" "$skipped"
printf '%s: %d passed, %d failed\n' "$LABEL" "$passed" "$failed"
SUMMARY_DONE=1
if ((rc == 0 && failed == 0 && passed > 0)); then exit 0; fi
((rc != 0)) || rc=1
exit "$rc"
