#!/usr/bin/env bash
# scripts/build-android-core.sh — build the Rust core for Android and generate its Kotlin bindings, for
# the Gradle project in android/ (its :app:buildRustCore task runs this; see android/README.md).
#
#   1. cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 -o <jniLibs> build --release -p qamqor-ffi
#      (cargo-ndk copies each ABI's libqamqor_ffi.so, stripped, into <jniLibs>/<abi>/)
#   2. cargo build --release -p qamqor-ffi --bin uniffi-bindgen --features qamqor-ffi/cli   (for this machine)
#   3. uniffi-bindgen generate --library <UNSTRIPPED arm64 library> --language kotlin --no-format
#      --out-dir <bindings>, run from bindings/ (library mode reads bindings/uniffi.toml: package
#      kz.qamqor.core), exactly as scripts/gen-bindings.sh does for the host library
#
# Neither output is committed (android/.gitignore). Needs: rustup targets aarch64-linux-android,
# armv7-linux-androideabi, x86_64-linux-android; cargo-ndk (cargo install cargo-ndk); an Android NDK
# (ANDROID_NDK_HOME, or the Gradle task finds the newest NDK of the SDK in android/local.properties).
#
# Usage: scripts/build-android-core.sh [--jni-libs DIR] [--bindings DIR] [--abi ABI]... [--dry-run] [-h]
#   --jni-libs DIR  where the .so files go (default android/app/src/main/jniLibs)
#   --bindings DIR  where the Kotlin bindings go (default android/build/generated/uniffi/kotlin)
#   --abi ABI       build only these ABIs (repeatable; default arm64-v8a armeabi-v7a x86_64)
#   --dry-run       check the tools and print the commands, build nothing
# Environment: ANDROID_NDK_HOME (read by cargo-ndk), CARGO_TARGET_DIR (as for cargo),
#   QAMQOR_UNIFFI_BINDGEN (an already built uniffi-bindgen: skips step 2)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JNI_LIBS="$REPO/android/app/src/main/jniLibs"
BINDINGS="$REPO/android/build/generated/uniffi/kotlin"
ABIS=()
DRY_RUN=0

log() { printf '[build-android-core] %s\n' "$*" >&2; }
die() { printf '[build-android-core] ERROR: %s\n' "$*" >&2; exit 1; }
run() { log "$*"; ((DRY_RUN)) || "$@"; }

while (($#)); do
    case "$1" in
        --jni-libs) [[ $# -ge 2 ]] || die "--jni-libs needs a DIR"; JNI_LIBS="$2"; shift ;;
        --bindings) [[ $# -ge 2 ]] || die "--bindings needs a DIR"; BINDINGS="$2"; shift ;;
        --abi) [[ $# -ge 2 ]] || die "--abi needs an ABI"; ABIS+=("$2"); shift ;;
        --dry-run) DRY_RUN=1 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (try --help)" ;;
    esac
    shift
done
((${#ABIS[@]})) || ABIS=(arm64-v8a armeabi-v7a x86_64)

# ---------------------------------------------------------------- the tools
rust_target() {
    case "$1" in
        arm64-v8a) echo aarch64-linux-android ;;
        armeabi-v7a) echo armv7-linux-androideabi ;;
        x86_64) echo x86_64-linux-android ;;
        x86) echo i686-linux-android ;;
        *) die "unknown ABI: $1" ;;
    esac
}
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
cargo ndk --version >/dev/null 2>&1 || die "cargo-ndk not found: cargo install cargo-ndk"
installed=$(rustup target list --installed 2>/dev/null || true)
missing=()
for abi in "${ABIS[@]}"; do
    t=$(rust_target "$abi")
    grep -qx "$t" <<<"$installed" || missing+=("$t")
done
((${#missing[@]} == 0)) || die "Rust targets missing: rustup target add ${missing[*]}"
[[ -n "${ANDROID_NDK_HOME:-}" && -d "${ANDROID_NDK_HOME}" ]] ||
    die "ANDROID_NDK_HOME is not set to an NDK (Android Studio: SDK Manager > SDK Tools > NDK)"

TARGET_DIR=$(cargo metadata --manifest-path "$REPO/Cargo.toml" --no-deps --format-version 1 |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

# ---------------------------------------------------------------- 1. the core for each ABI
ndk_args=()
for abi in "${ABIS[@]}"; do ndk_args+=(-t "$abi"); done
mkdir -p "$JNI_LIBS"
(cd "$REPO" && run cargo ndk "${ndk_args[@]}" -o "$JNI_LIBS" build --release -p qamqor-ffi) || die "cargo ndk failed"

# ---------------------------------------------------------------- 2. uniffi-bindgen for this machine
BINDGEN="${QAMQOR_UNIFFI_BINDGEN:-}"
if [[ -z "$BINDGEN" ]]; then
    (cd "$REPO" && run cargo build --release -p qamqor-ffi --bin uniffi-bindgen --features qamqor-ffi/cli) ||
        die "building uniffi-bindgen failed"
    BINDGEN="$TARGET_DIR/release/uniffi-bindgen"
fi

# ---------------------------------------------------------------- 3. the Kotlin bindings
# from the unstripped library cargo left in its target folder (strip removes the UNIFFI_META symbols)
LIB="$TARGET_DIR/$(rust_target "${ABIS[0]}")/release/libqamqor_ffi.so"
if ((DRY_RUN)); then
    log "(cd $REPO/bindings && $BINDGEN generate --library $LIB --language kotlin --no-format --out-dir $BINDINGS)"
    exit 0
fi
[[ -f "$LIB" ]] || die "library not found: $LIB"
[[ -x "$BINDGEN" ]] || die "uniffi-bindgen not found: $BINDGEN"
STAGE=$(mktemp -d)
trap 'rm -rf -- "$STAGE"' EXIT
(cd "$REPO/bindings" && "$BINDGEN" generate --library "$LIB" --language kotlin --no-format --out-dir "$STAGE") ||
    die "uniffi-bindgen generate failed"
[[ -n "$(find "$STAGE" -name '*.kt' -print -quit)" ]] || die "no .kt file was generated"
rm -rf -- "$BINDINGS"
mkdir -p "$(dirname "$BINDINGS")"
mv -T -- "$STAGE" "$BINDINGS"
trap - EXIT
log "libraries: $(cd "$JNI_LIBS" && find . -name '*.so' -printf '%P (%s bytes) ' | sort)"
log "bindings:  $BINDINGS"
