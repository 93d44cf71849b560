#!/usr/bin/env bash
# scripts/build-xcframework.sh — build the core for iOS and hand it to the app's Swift package
# (macOS with Xcode and rustup only; the app's models are tested on Linux by scripts/test-swift.sh).
#
#   1. cargo build -p qamqor-ffi --lib for aarch64-apple-ios (devices), aarch64-apple-ios-sim and
#      x86_64-apple-ios (simulators), one invocation; the crate's staticlib is what goes in
#   2. lipo the two simulator slices into one library
#   3. the repo's uniffi-bindgen (built for this Mac) generates the Swift bindings in library mode from
#      the UNSTRIPPED simulator library: QamqorCore.swift, QamqorCoreFFI.h, QamqorCoreFFI.modulemap
#   4. xcodebuild -create-xcframework: each library with a headers folder (QamqorCoreFFI.h and the
#      modulemap as module.modulemap) -> ios/QamqorKit/Frameworks/QamqorCoreFFI.xcframework
#   5. QamqorCore.swift -> ios/QamqorKit/Sources/QamqorCore/ (the package's QamqorCore target)
# Both outputs are git-ignored. Everything is built in a staging folder and moved into place at the end.
#
# Usage: scripts/build-xcframework.sh [--profile release|dev] [--simulator-only] [-h]
#   --profile P        cargo profile (default release; dev builds faster, for the simulator)
#   --simulator-only   skip the device slice (quicker local builds; not for archives)
# Environment:
#   CARGO_TARGET_DIR             as for cargo (default <repo>/target)
#   QAMQOR_IOS_DIR               the iOS app (default <repo>/ios)
#   IPHONEOS_DEPLOYMENT_TARGET   minimum iOS of the Rust and C code (default 16.0, as the app)
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$SCRIPTS")"
IOS="${QAMQOR_IOS_DIR:-$REPO/ios}"
PROFILE=release
DEVICE=1
PACKAGE=qamqor-ffi
LIB=libqamqor_ffi.a
FFI_MODULE=QamqorCoreFFI
SWIFT_MODULE=QamqorCore

log() { printf '[build-xcframework] %s\n' "$*" >&2; }
die() { printf '[build-xcframework] ERROR: %s\n' "$*" >&2; exit 1; }

while (($#)); do
    case "$1" in
        --profile) [[ $# -ge 2 ]] || die "--profile needs a value"; PROFILE="$2"; shift ;;
        --simulator-only) DEVICE=0 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (try --help)" ;;
    esac
    shift
done

[[ "$(uname -s)" == Darwin ]] || die "this needs macOS with Xcode (on Linux, scripts/test-swift.sh tests the models)"
command -v xcodebuild >/dev/null || die "xcodebuild not found: install Xcode and run xcode-select"
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup"

SIM_TARGETS=(aarch64-apple-ios-sim x86_64-apple-ios)
TARGETS=("${SIM_TARGETS[@]}")
((DEVICE)) && TARGETS=(aarch64-apple-ios "${TARGETS[@]}")
if command -v rustup >/dev/null; then
    installed="$(rustup target list --installed)"
    for t in "${TARGETS[@]}"; do
        grep -qx "$t" <<<"$installed" || die "Rust target $t is missing: rustup target add ${TARGETS[*]}"
    done
fi

PROFILE_ARGS=(--profile "$PROFILE")
PROFILE_DIR="$PROFILE"
[[ "$PROFILE" == dev ]] && PROFILE_DIR=debug
[[ "$PROFILE" == release ]] && PROFILE_ARGS=(--release)
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
export IPHONEOS_DEPLOYMENT_TARGET="${IPHONEOS_DEPLOYMENT_TARGET:-16.0}"

# ---------------------------------------------------------------- 1. the core for iOS
target_args=()
for t in "${TARGETS[@]}"; do target_args+=(--target "$t"); done
log "cargo build -p $PACKAGE --lib ${PROFILE_ARGS[*]} ${target_args[*]}"
(cd "$REPO" && cargo build -p "$PACKAGE" --lib "${PROFILE_ARGS[@]}" "${target_args[@]}") || die "cargo build for iOS failed"

# ---------------------------------------------------------------- 2. one simulator library
STAGE="$(mktemp -d "${TMPDIR:-/tmp}/qamqor-xcframework.XXXXXX")"
trap 'rm -rf -- "$STAGE"' EXIT
mkdir -p "$STAGE/simulator" "$STAGE/bindings" "$STAGE/headers"
sim_libs=()
for t in "${SIM_TARGETS[@]}"; do sim_libs+=("$TARGET_DIR/$t/$PROFILE_DIR/$LIB"); done
lipo -create "${sim_libs[@]}" -output "$STAGE/simulator/$LIB" || die "lipo of the simulator slices failed"

# ---------------------------------------------------------------- 3. the Swift bindings
log "cargo build -p $PACKAGE --bin uniffi-bindgen (for this Mac)"
(cd "$REPO" && cargo build -p "$PACKAGE" --bin uniffi-bindgen --features "$PACKAGE/cli" "${PROFILE_ARGS[@]}") ||
    die "building uniffi-bindgen failed"
BINDGEN="$TARGET_DIR/$PROFILE_DIR/uniffi-bindgen"
[[ -x "$BINDGEN" ]] || die "uniffi-bindgen not found at $BINDGEN"
# From the crate's folder: library mode finds uniffi.toml (module names) through cargo metadata.
(cd "$REPO/bindings" && "$BINDGEN" generate --library "$TARGET_DIR/${SIM_TARGETS[0]}/$PROFILE_DIR/$LIB" \
    --language swift --no-format --out-dir "$STAGE/bindings") || die "uniffi-bindgen generate failed"
for f in "$SWIFT_MODULE.swift" "$FFI_MODULE.h" "$FFI_MODULE.modulemap"; do
    [[ -f "$STAGE/bindings/$f" ]] || die "uniffi-bindgen did not write $f"
done
cp "$STAGE/bindings/$FFI_MODULE.h" "$STAGE/headers/"
cp "$STAGE/bindings/$FFI_MODULE.modulemap" "$STAGE/headers/module.modulemap"

# ---------------------------------------------------------------- 4. the XCFramework
xc_args=()
((DEVICE)) && xc_args+=(-library "$TARGET_DIR/aarch64-apple-ios/$PROFILE_DIR/$LIB" -headers "$STAGE/headers")
xc_args+=(-library "$STAGE/simulator/$LIB" -headers "$STAGE/headers")
xcodebuild -create-xcframework "${xc_args[@]}" -output "$STAGE/$FFI_MODULE.xcframework" >/dev/null ||
    die "xcodebuild -create-xcframework failed"

# ---------------------------------------------------------------- 5. into the package
FRAMEWORKS="$IOS/QamqorKit/Frameworks"
SOURCES="$IOS/QamqorKit/Sources/$SWIFT_MODULE"
mkdir -p "$FRAMEWORKS" "$SOURCES"
rm -rf -- "${FRAMEWORKS:?}/$FFI_MODULE.xcframework"
mv "$STAGE/$FFI_MODULE.xcframework" "$FRAMEWORKS/"
cp "$STAGE/bindings/$SWIFT_MODULE.swift" "$SOURCES/"
log "$FRAMEWORKS/$FFI_MODULE.xcframework ($(du -sh "$FRAMEWORKS/$FFI_MODULE.xcframework" | cut -f1)), slices: ${TARGETS[*]}"
log "$SOURCES/$SWIFT_MODULE.swift"
