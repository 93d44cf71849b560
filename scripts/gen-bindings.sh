#!/usr/bin/env bash
# scripts/gen-bindings.sh — build the bindings cdylib and uniffi-bindgen, then generate the Kotlin and
# Swift bindings (UniFFI library mode) into bindings/generated/{kotlin,swift} (git-ignored).
#
#   cargo build -p qamqor-ffi --release --lib --bin uniffi-bindgen      (one invocation, so the .so and
#                                                                       the bindgen see the same features)
#   uniffi-bindgen generate --library <UNSTRIPPED lib> --language kotlin|swift --no-format
#
# Artifact paths come from cargo's own JSON messages, so CARGO_TARGET_DIR / build.target-dir are honoured.
# uniffi-bindgen runs from the bindings crate's folder: in library mode it calls `cargo metadata` to find
# each crate's uniffi.toml (Kotlin package kz.qamqor.core, Swift module QamqorCore / QamqorCoreFFI).
# Generation must read the UNSTRIPPED library: `strip` removes the UNIFFI_META_* symbols it reads
# (the stripped library is fine at run time).
#
# Besides the sources it writes $QAMQOR_BINDINGS_DIR/bindings.env, sourced by the test scripts:
#   QAMQOR_FFI_LIB       absolute path of the library the bindings were generated from
#   QAMQOR_SWIFT_MODULE  Swift module name for the generated .swift files (uniffi.toml's module_name)
#   QAMQOR_FFI_PACKAGE_DIR  folder of the bindings crate
#
# Usage: scripts/gen-bindings.sh [--no-build] [--dry-run] [--language kotlin|swift]... [-h]
#   --no-build      don't run cargo: use QAMQOR_FFI_LIB / QAMQOR_UNIFFI_BINDGEN or the existing artifacts
#   --dry-run       print the cargo command it would run, and stop
#   --language L    generate only L (repeatable; default: kotlin and swift)
# Environment:
#   QAMQOR_FFI_MANIFEST    Cargo.toml of the workspace that holds the bindings crate (default: repo's)
#   QAMQOR_FFI_PACKAGE     cargo package of the bindings crate (default qamqor-ffi)
#   QAMQOR_FFI_PROFILE     cargo profile (default release)
#   QAMQOR_FFI_LIB         an already built, unstripped library: skips building the library
#   QAMQOR_UNIFFI_BINDGEN  an already built uniffi-bindgen: skips building it
#   QAMQOR_BINDINGS_DIR    output folder (default <repo>/bindings/generated)
#   CARGO_TARGET_DIR       as for cargo
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MANIFEST="${QAMQOR_FFI_MANIFEST:-$REPO/Cargo.toml}"
PACKAGE="${QAMQOR_FFI_PACKAGE:-qamqor-ffi}"
PROFILE="${QAMQOR_FFI_PROFILE:-release}"
OUT="${QAMQOR_BINDINGS_DIR:-$REPO/bindings/generated}"
LIB="${QAMQOR_FFI_LIB:-}"
BINDGEN="${QAMQOR_UNIFFI_BINDGEN:-}"
BUILD=1
DRY_RUN=0
LANGS=()

log() { printf '[gen-bindings] %s\n' "$*" >&2; }
die() { printf '[gen-bindings] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

while (($#)); do
    case "$1" in
        --no-build) BUILD=0 ;;
        --dry-run) DRY_RUN=1 ;;
        --language)
            [[ $# -ge 2 && ("$2" == kotlin || "$2" == swift) ]] || die "--language needs kotlin or swift"
            LANGS+=("$2"); shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (try --help)" ;;
    esac
    shift
done
((${#LANGS[@]})) || LANGS=(kotlin swift)
[[ -f "$MANIFEST" ]] || die "no Cargo manifest at $MANIFEST (set QAMQOR_FFI_MANIFEST)"
command -v python3 >/dev/null || die "python3 is needed to read cargo's JSON output"
T_ALL=$(now)

# ---------------------------------------------------------------- what cargo knows about the crate
# -> PKG_DIR, LIB_NAME (lib target name), BG_PKG (package with a `uniffi-bindgen` bin), BG_FEATURES
meta=$(cargo metadata --manifest-path "$MANIFEST" --no-deps --format-version 1) ||
    die "cargo metadata failed for $MANIFEST"
eval "$(python3 -c '
import json, shlex, sys, os
meta = json.load(sys.stdin); want = sys.argv[1]
pkgs = {p["name"]: p for p in meta["packages"]}
if want not in pkgs:
    sys.exit(f"[gen-bindings] ERROR: package {want!r} is not in the workspace (have: {sorted(pkgs)})")
p = pkgs[want]
libs = [t for t in p["targets"] if "cdylib" in t["crate_types"]]
if not libs:
    sys.exit(f"[gen-bindings] ERROR: package {want!r} has no cdylib target (crate-type = [\"cdylib\", ...])")
bg = [(q, t) for q in [p] + [q for q in meta["packages"] if q is not p]
      for t in q["targets"] if t["name"] == "uniffi-bindgen" and "bin" in t["kind"]]
out = {"PKG_DIR": os.path.dirname(p["manifest_path"]), "LIB_NAME": libs[0]["name"],
       "BG_PKG": bg[0][0]["name"] if bg else "",
       "BG_FEATURES": ",".join(bg[0][1].get("required-features", [])) if bg else ""}
for k, v in out.items(): print(f"{k}={shlex.quote(v)}")
' "$PACKAGE" <<<"$meta")"

# ---------------------------------------------------------------- build
if ((BUILD)) && [[ -z "$LIB" || -z "$BINDGEN" ]]; then
    args=(build --manifest-path "$MANIFEST" --message-format=json-render-diagnostics)
    if [[ "$PROFILE" == release ]]; then args+=(--release); else args+=(--profile "$PROFILE"); fi
    if [[ -z "$LIB" ]]; then args+=(-p "$PACKAGE" --lib); fi
    if [[ -z "$BINDGEN" ]]; then
        [[ -n "$BG_PKG" ]] || die "no package has a bin target named uniffi-bindgen (or set QAMQOR_UNIFFI_BINDGEN)"
        [[ "$BG_PKG" == "$PACKAGE" && -z "$LIB" ]] || args+=(-p "$BG_PKG")
        args+=(--bin uniffi-bindgen)
        [[ -n "$BG_FEATURES" ]] && args+=(--features "$BG_PKG/${BG_FEATURES//,/,$BG_PKG/}")
    fi
    log "cargo ${args[*]}"
    if ((DRY_RUN)); then exit 0; fi
    t0=$(now)
    json=$(mktemp)
    trap 'rm -f -- "$json"' EXIT
    cargo "${args[@]}" >"$json" || die "cargo build failed"
    log "cargo build: $(elapsed "$t0")"
    # the artifacts cargo just produced (fresh or up to date): the cdylib and the bindgen executable
    eval "$(python3 -c '
import json, shlex, sys
lib_name, so, exe = sys.argv[2], "", ""
for line in open(sys.argv[1]):
    if not line.startswith("{"): continue
    m = json.loads(line)
    if m.get("reason") != "compiler-artifact": continue
    t = m["target"]
    if t["name"] == lib_name and "cdylib" in t["crate_types"]:
        so = next((f for f in m["filenames"] if f.endswith((".so", ".dylib"))), so)
    if t["name"] == "uniffi-bindgen" and "bin" in t["kind"] and m.get("executable"):
        exe = m["executable"]
print(f"BUILT_LIB={shlex.quote(so)}\nBUILT_BINDGEN={shlex.quote(exe)}")
' "$json" "$LIB_NAME")"
    [[ -z "$LIB" ]] && LIB="$BUILT_LIB"
    [[ -z "$BINDGEN" ]] && BINDGEN="$BUILT_BINDGEN"
fi
if [[ -z "$LIB" || -z "$BINDGEN" ]]; then # --no-build: fall back to the usual artifact paths
    tdir=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])' <<<"$meta")
    pdir="$PROFILE"
    [[ "$PROFILE" == dev || "$PROFILE" == test ]] && pdir=debug # cargo's folder names for these profiles
    [[ "$PROFILE" == bench ]] && pdir=release
    [[ -z "$LIB" ]] && LIB="$tdir/$pdir/lib$LIB_NAME.so"
    [[ -z "$BINDGEN" ]] && BINDGEN="$tdir/$pdir/uniffi-bindgen"
fi
[[ -f "$LIB" ]] || die "library not found: $LIB"
[[ -x "$BINDGEN" ]] || die "uniffi-bindgen not found: $BINDGEN"
LIB="$(cd "$(dirname "$LIB")" && pwd)/$(basename "$LIB")"
log "library:  $LIB ($(stat -c %s "$LIB") bytes)"
log "bindgen:  $BINDGEN"

# ---------------------------------------------------------------- generate
mkdir -p "$OUT"
STAGE=$(mktemp -d "$OUT/.stage.XXXXXX")
trap 'rm -rf -- "$STAGE" "${json:-}"' EXIT
for lang in "${LANGS[@]}"; do
    t0=$(now)
    # run from the crate's folder: library mode finds uniffi.toml through `cargo metadata` there
    if ! (cd "$PKG_DIR" && "$BINDGEN" generate --library "$LIB" --language "$lang" --no-format \
        --out-dir "$STAGE/$lang"); then
        # bindgen reads the UNIFFI_META_* symbols from the full symbol table, which strip removes
        # (they survive in the dynamic one, so `nm -D` would still list them)
        if command -v nm >/dev/null && ! nm "$LIB" 2>/dev/null | grep -q UNIFFI_META; then
            die "uniffi-bindgen failed: $LIB has no UNIFFI_META symbols (stripped? generate from the unstripped build)"
        fi
        die "uniffi-bindgen generate --language $lang failed"
    fi
    log "$lang: generated in $(elapsed "$t0"):"
    (cd "$STAGE/$lang" && find . -type f -printf '           %P (%s bytes)\n' | sort >&2)
done

# sanity: what each language needs
if [[ -d "$STAGE/kotlin" ]]; then
    [[ -n "$(find "$STAGE/kotlin" -name '*.kt' -print -quit)" ]] || die "no .kt file was generated"
fi
SWIFT_MODULE=""
if [[ -d "$STAGE/swift" ]]; then
    mapfile -t swift_files < <(find "$STAGE/swift" -maxdepth 1 -name '*.swift' -printf '%f\n' | sort)
    ((${#swift_files[@]})) || die "no .swift file was generated"
    [[ -n "$(find "$STAGE/swift" -maxdepth 1 -name '*.modulemap' -print -quit)" ]] ||
        die "no .modulemap was generated (generate_module_map = false in uniffi.toml?)"
    # the module name: uniffi.toml's [bindings.swift] module_name, else the only generated file's name
    SWIFT_MODULE=$(python3 -c '
import sys, tomllib
try:
    with open(sys.argv[1], "rb") as f: print(tomllib.load(f)["bindings"]["swift"]["module_name"])
except (OSError, KeyError): pass
' "$PKG_DIR/uniffi.toml")
    if [[ -z "$SWIFT_MODULE" && ${#swift_files[@]} -eq 1 ]]; then SWIFT_MODULE="${swift_files[0]%.swift}"; fi
    [[ -n "$SWIFT_MODULE" ]] || die "cannot tell the Swift module name (set module_name in $PKG_DIR/uniffi.toml)"
fi

# ---------------------------------------------------------------- publish
for lang in "${LANGS[@]}"; do
    rm -rf -- "${OUT:?}/$lang"
    mv -T -- "$STAGE/$lang" "$OUT/$lang"
done
{
    printf '# written by scripts/gen-bindings.sh\n'
    printf 'QAMQOR_FFI_LIB=%q\n' "$LIB"
    printf 'QAMQOR_FFI_PACKAGE_DIR=%q\n' "$PKG_DIR"
    if [[ -n "$SWIFT_MODULE" ]]; then
        printf 'QAMQOR_SWIFT_MODULE=%q\n' "$SWIFT_MODULE"
    elif [[ -f "$OUT/bindings.env" ]]; then # keep what an earlier swift run found
        grep '^QAMQOR_SWIFT_MODULE=' "$OUT/bindings.env" || true
    fi
} >"$STAGE/bindings.env"
mv -f -- "$STAGE/bindings.env" "$OUT/bindings.env"
log "bindings in $OUT (${LANGS[*]}) — total $(elapsed "$T_ALL")"
