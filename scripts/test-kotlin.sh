#!/usr/bin/env bash
# scripts/test-kotlin.sh — compile the generated Kotlin bindings + the Kotlin tests and run them with
# JUnit 4 on the JVM against the real Rust library.
#
#   1. toolchains: scripts/toolchains.sh --no-swift --no-tree-sitter (cached: < 0.1 s)
#   2. bindings:   bindings/generated/kotlin (scripts/gen-bindings.sh --language kotlin runs if missing,
#                  or always with --gen)
#   3. kotlinc:    one compile per module, each cached by content hash (kotlinc is the slow part):
#                  generated bindings -> classes (~15 s); the Android app's pure-Kotlin state module
#                  (android/state/src/main/kotlin/**) -> classes; then the tests: bindings/tests/kotlin/**
#                  + android/state/src/test/kotlin/** + scripts/junit/QamqorTestRunner.kt -> classes.
#                  Classpath: JNA, kotlinx-coroutines, kotlin-test, kotlin-test-junit, JUnit 4
#   4. run:        every concrete class with @org.junit.Test methods (any name) under the tests' output,
#                  with -Djna.library.path=<lib dir> and -Duniffi.component.<crate>.libraryOverride=<lib>,
#                  -Dqamqor.android.dir=<repo>/android (the state tests read the app's string resources)
#
# Output ends with the plain line "kotlin: N passed, N failed" — also when compilation fails or the JVM
# dies (then "kotlin: 0 passed, 1 failed"). Exit status 0 only if every test passed and at least one ran.
#
# Usage: scripts/test-kotlin.sh [--gen] [--filter REGEX] [-h]
#   --gen           regenerate the bindings first (cargo build + uniffi-bindgen)
#   --filter REGEX  only run test classes whose fully qualified name matches REGEX
# Environment:
#   QAMQOR_BINDINGS_DIR       generated bindings (default <repo>/bindings/generated)
#   QAMQOR_KOTLIN_TESTS_DIR   test sources (default <repo>/bindings/tests/kotlin)
#   QAMQOR_ANDROID_DIR        the Android project, for its state module (default <repo>/android; the
#                             module is skipped if android/state/src/main/kotlin does not exist)
#   QAMQOR_TEST_BUILD_DIR     build output (default <repo>/build/bindings-tests; git-ignored)
#   QAMQOR_FFI_LIB            library to load (default: the one the bindings were generated from, as
#                             recorded in bindings.env; a stripped copy works too)
#   QAMQOR_TEST_TIMEOUT       seconds before the JVM is killed (default 900)
#   QAMQOR_CACHE, QAMQOR_*    as for scripts/toolchains.sh; QAMQOR_FFI_* as for scripts/gen-bindings.sh
#   JAVA_OPTS                 extra JVM options for the test run
set -euo pipefail

LABEL=kotlin
SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$SCRIPTS")"
GEN="${QAMQOR_BINDINGS_DIR:-$REPO/bindings/generated}"
TESTS="${QAMQOR_KOTLIN_TESTS_DIR:-$REPO/bindings/tests/kotlin}"
ANDROID="${QAMQOR_ANDROID_DIR:-$REPO/android}"
BUILD="${QAMQOR_TEST_BUILD_DIR:-$REPO/build/bindings-tests}/kotlin"
TIMEOUT="${QAMQOR_TEST_TIMEOUT:-900}"
REGEN=0
FILTER=""

log() { printf '[test-kotlin] %s\n' "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

while (($#)); do
    case "$1" in
        --gen) REGEN=1 ;;
        --filter) [[ $# -ge 2 ]] || { log "--filter needs a REGEX"; exit 2; }; FILTER="$2"; shift ;;
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
"$SCRIPTS/toolchains.sh" --no-swift --no-tree-sitter >/dev/null || fail "toolchain set-up failed"
# shellcheck disable=SC1091
. "${QAMQOR_CACHE:-$HOME/.cache/qamqor}/env.sh"
[[ -n "${KOTLINC:-}" ]] || fail "env.sh has no KOTLINC"

if ((REGEN)) || [[ ! -d "$GEN/kotlin" || ! -f "$GEN/bindings.env" ]]; then
    "$SCRIPTS/gen-bindings.sh" --language kotlin || fail "generating the bindings failed"
fi
LIB_OVERRIDE="${QAMQOR_FFI_LIB:-}"
# shellcheck disable=SC1091
. "$GEN/bindings.env"
LIB="${LIB_OVERRIDE:-$QAMQOR_FFI_LIB}"
[[ -f "$LIB" ]] || fail "library not found: $LIB (run scripts/gen-bindings.sh)"
LIB="$(cd "$(dirname "$LIB")" && pwd)/$(basename "$LIB")"

mapfile -t GEN_KT < <(find "$GEN/kotlin" -name '*.kt' | sort)
((${#GEN_KT[@]})) || fail "no generated .kt files in $GEN/kotlin"
TEST_KT=()
[[ -d "$TESTS" ]] && mapfile -t TEST_KT < <(find "$TESTS" -name '*.kt' | sort)
((${#TEST_KT[@]})) || fail "no Kotlin tests (*.kt) under $TESTS"
# the Android app's state module (pure Kotlin: state holders over the bindings) and its tests
STATE_KT=()
STATE_TEST_KT=()
if [[ -d "$ANDROID/state/src/main/kotlin" ]]; then
    mapfile -t STATE_KT < <(find "$ANDROID/state/src/main/kotlin" -name '*.kt' | sort)
    [[ -d "$ANDROID/state/src/test/kotlin" ]] && mapfile -t STATE_TEST_KT < <(find "$ANDROID/state/src/test/kotlin" -name '*.kt' | sort)
fi
RUNNER_KT="$SCRIPTS/junit/QamqorTestRunner.kt"

K="$KOTLIN_LIB"
CP_COMPILE="$JNA_JAR:$K/kotlinx-coroutines-core-jvm.jar:$K/kotlin-test.jar:$K/kotlin-test-junit.jar:$JUNIT_JAR"
CP_RUN="$K/kotlin-stdlib.jar:$CP_COMPILE:$HAMCREST_JAR"

# ---------------------------------------------------------------- compile (cached by content hash)
# cp_fingerprint CLASSPATH: what identifies each entry (a compiled folder's .key, a jar's size and mtime)
cp_fingerprint() {
    local e entries
    IFS=: read -ra entries <<<"$1"
    for e in "${entries[@]}"; do
        if [[ -f "$e/.key" ]]; then cat -- "$e/.key"; elif [[ -f "$e" ]]; then stat -c '%n %s %Y' -- "$e"; else printf '%s\n' "$e"; fi
    done
}
# compile_cached NAME CLASSPATH FILE... : kotlinc FILEs into $BUILD/NAME, unless the sources, the
# compiler and the classpath are all unchanged since the last successful compile.
compile_cached() {
    local name="$1" cp="$2" out="$BUILD/$1" key t0
    shift 2
    key=$({ printf '%s\n' "$KOTLIN_VERSION" "$@"; cp_fingerprint "$cp"; cat -- "$@"; } | sha256sum | cut -d' ' -f1)
    if [[ -f "$out/.key" && "$(cat "$out/.key")" == "$key" ]]; then
        log "kotlinc $name: up to date"
        return 0
    fi
    t0=$(now)
    rm -rf -- "$out.tmp"
    mkdir -p -- "$out.tmp"
    local flags=()
    [[ "$name" == bindings ]] && flags+=(-nowarn) # generated code: its warnings aren't ours to fix
    log "kotlinc $name ($# files)"
    "$KOTLINC" "${flags[@]}" -jvm-target 17 -cp "$cp" -d "$out.tmp" "$@" || { rm -rf -- "$out.tmp"; fail "kotlinc $name failed"; }
    printf '%s\n' "$key" >"$out.tmp/.key"
    rm -rf -- "$out"
    mv -T -- "$out.tmp" "$out"
    log "kotlinc $name: $(elapsed "$t0")"
}
mkdir -p -- "$BUILD"
compile_cached bindings "$CP_COMPILE" "${GEN_KT[@]}"
TESTS_CP="$BUILD/bindings:$CP_COMPILE"
RUN_CP="$BUILD/tests:$BUILD/bindings:$CP_RUN"
if ((${#STATE_KT[@]})); then
    compile_cached state "$BUILD/bindings:$CP_COMPILE" "${STATE_KT[@]}"
    TESTS_CP="$BUILD/state:$TESTS_CP"
    RUN_CP="$BUILD/tests:$BUILD/state:$BUILD/bindings:$CP_RUN"
fi
compile_cached tests "$TESTS_CP" "${TEST_KT[@]}" "${STATE_TEST_KT[@]}" "$RUNNER_KT"

# ---------------------------------------------------------------- run
# the real sync server for the scenarios that sign in and sync (scripts/lib/test-server.sh)
# shellcheck source-path=SCRIPTDIR source=lib/test-server.sh
. "$SCRIPTS/lib/test-server.sh"
start_test_server "$REPO" || fail "the test server did not start"
log "test server at $QAMQOR_TEST_SERVER_URL"
# every component (crate) in the bindings gets the library explicitly; jna.library.path covers the rest
props=(-Djna.library.path="$(dirname "$LIB")" -Dqamqor.android.dir="$ANDROID")
mapfile -t COMPONENTS < <(grep -ho 'findLibraryName(componentName = "[^"]*")' "${GEN_KT[@]}" | sed 's/.*= "\(.*\)")/\1/' | sort -u)
for c in "${COMPONENTS[@]}"; do props+=(-Duniffi.component."$c".libraryOverride="$LIB"); done
log "running JUnit against $LIB"
runner_args=(--label "$LABEL" --classes "$BUILD/tests")
[[ -n "$FILTER" ]] && runner_args+=(--filter "$FILTER")
SUMMARY_RE="^$LABEL: [0-9]+ passed, [0-9]+ failed\$"
t0=$(now)
# the runner's own summary line is held back and printed last, after this script's log lines
set +e # a failing test run is not a reason to stop here
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
timeout --kill-after=10 "$TIMEOUT" java ${JAVA_OPTS:-} "${props[@]}" -cp "$RUN_CP" \
    kz.qamqor.testrunner.QamqorTestRunnerKt "${runner_args[@]}" 2>&1 |
    tee "$BUILD/last-run.log" | { grep --line-buffered -Ev "$SUMMARY_RE" || true; }
rc=${PIPESTATUS[0]}
set -e
log "JUnit run: $(elapsed "$t0") (total $(elapsed "$T_ALL"))"
summary=$(tail -n 1 "$BUILD/last-run.log")
if [[ "$summary" =~ $SUMMARY_RE ]]; then
    printf '%s\n' "$summary"
    SUMMARY_DONE=1
    exit "$rc"
fi
((rc == 124)) && fail "the JVM was killed after ${TIMEOUT}s"
fail "the test JVM ended without a summary (exit status $rc)"
