#!/usr/bin/env bash
# scripts/toolchains.sh — set up (idempotently) every tool the foreign-language binding tests need.
#
# What it provides, all OUTSIDE the clone, in ${QAMQOR_CACHE:-$HOME/.cache/qamqor}:
#   kotlin     JNA + JUnit 4 (+ hamcrest) from Debian (apt, system-wide), a JRE if `java` is missing,
#              and kotlinc from the npm package `kotlin-compiler` (it bundles kotlin-stdlib,
#              kotlinx-coroutines-core-jvm, kotlin-test and kotlin-test-junit in its lib/).
#   swift      a real Swift toolchain (Debian trixie's `swiftlang`) plus trixie's glibc/libstdc++,
#              downloaded with a PRIVATE apt configuration (the system's apt sources and dpkg database
#              are left alone) and unpacked into a folder. Swift 6 needs glibc >= 2.38 and this is
#              Debian 12 (2.36), so everything Swift runs through trixie's own loader (SWIFT_LDSO).
#   browser    Debian's chromium and chromium-driver (system-wide, apt) with DejaVu fonts, for the web
#              panel's browser tests (tests/tests/panel.rs); nothing is downloaded by a test tool.
#   tree-sitter  node packages tree-sitter + the Swift and Kotlin grammars (prebuilt .node files,
#              installed with --ignore-scripts: tree-sitter-cli's postinstall would fetch a binary).
#
# It then writes $QAMQOR_CACHE/env.sh (sourced by the other scripts) with the paths of whatever is
# installed in the cache: KOTLIN_HOME, KOTLINC, JNA_JAR, JUNIT_JAR, HAMCREST_JAR, SWIFT_ROOT,
# SWIFT_LDSO, SWIFT_FRONTEND, SWIFT_RESOURCE_DIR, SWIFT_LIBRARY_PATH, SWIFT_AUTOLINK_EXTRACT,
# SWIFT_XCTEST, TREE_SITTER_DIR, ...
#
# A warm run only checks what is there (a second or two). A cold run downloads ~70 MB (kotlin),
# ~450 MB (swift, 2.2 GB unpacked) and ~10 MB (tree-sitter). Every component is built in a
# "<name>.tmp.<pid>" folder and renamed into place only once complete and verified, so an interrupted
# run never leaves a half-installed toolchain behind (leftover .tmp folders are removed next time).
# Runs are serialised with flock on $QAMQOR_CACHE/.lock.
#
# Usage:
#   scripts/toolchains.sh [--no-kotlin] [--no-swift] [--no-tree-sitter] [--print-env] [-h]
#   source scripts/toolchains.sh [flags]    # same, then exports env.sh into the current shell
# Flags:
#   --no-kotlin / --no-swift / --no-tree-sitter / --no-browser   skip setting up that component (env.sh still lists
#                                                 it if an earlier run installed it)
#   --print-env                                   only print the env.sh that would be written; install nothing
# Environment:
#   QAMQOR_CACHE             cache folder (default $HOME/.cache/qamqor)
#   QAMQOR_SKIP_KOTLIN=1, QAMQOR_SKIP_SWIFT=1, QAMQOR_SKIP_TREE_SITTER=1, QAMQOR_SKIP_BROWSER=1   same as the flags
#   QAMQOR_KOTLIN_VERSION    npm kotlin-compiler version (default 2.4.20)
#   QAMQOR_SWIFT_VERSION     upstream Swift version required of trixie's swiftlang (default 6.0.3)
#   QAMQOR_SWIFT_SUITE       Debian suite to take Swift from (default trixie)
#   QAMQOR_DEBIAN_MIRROR     default http://deb.debian.org/debian
#   QAMQOR_KEEP_DEBS=1       keep the downloaded .deb files in $QAMQOR_CACHE/swift-debs
# Exit status: 0 when every requested component is ready; non-zero with an "ERROR:" line otherwise.

# ---- sourced? then run as a child process (so `set -e` etc. don't leak) and export env.sh -------------
if [[ "${BASH_SOURCE[0]}" != "${0}" ]]; then
    if bash "${BASH_SOURCE[0]}" "$@"; then
        # shellcheck disable=SC1091
        . "${QAMQOR_CACHE:-$HOME/.cache/qamqor}/env.sh"
        return 0
    else
        echo "toolchains.sh: set-up failed (see above)" >&2
        return 1
    fi
fi

set -euo pipefail

CACHE="${QAMQOR_CACHE:-$HOME/.cache/qamqor}"
KOTLIN_VERSION="${QAMQOR_KOTLIN_VERSION:-2.4.20}"
SWIFT_VERSION="${QAMQOR_SWIFT_VERSION:-6.0.3}"
SWIFT_SUITE="${QAMQOR_SWIFT_SUITE:-trixie}"
DEBIAN_MIRROR="${QAMQOR_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# pinned tree-sitter packages (prebuilt linux-x64 binaries inside the npm packages)
TS_PACKAGES=(tree-sitter@0.22.4 tree-sitter-swift@0.7.1 @tree-sitter-grammars/tree-sitter-kotlin@1.1.0)
TS_ID="ts-0.22.4-swift-0.7.1-kotlin-1.1.0"
# Debian packages for the Swift root: the toolchain + the trixie runtime it was built against
SWIFT_DEBS=(swiftlang libswiftlang libc6 libstdc++6 libgcc-s1 libtinfo6 libuuid1 zlib1g libzstd1)
APT_PACKAGES_KOTLIN=(libjna-java junit4)

DO_KOTLIN=1 DO_SWIFT=1 DO_TS=1 DO_BROWSER=1 PRINT_ONLY=0
[[ "${QAMQOR_SKIP_KOTLIN:-0}" == 1 ]] && DO_KOTLIN=0
[[ "${QAMQOR_SKIP_SWIFT:-0}" == 1 ]] && DO_SWIFT=0
[[ "${QAMQOR_SKIP_TREE_SITTER:-0}" == 1 ]] && DO_TS=0
[[ "${QAMQOR_SKIP_BROWSER:-0}" == 1 ]] && DO_BROWSER=0
while (($#)); do
    case "$1" in
        --no-kotlin) DO_KOTLIN=0 ;;
        --no-swift) DO_SWIFT=0 ;;
        --no-tree-sitter) DO_TS=0 ;;
        --no-browser) DO_BROWSER=0 ;;
        --print-env) PRINT_ONLY=1 ;;
        -h | --help) sed -n '2,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "toolchains.sh: unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

KOTLIN_DIR="$CACHE/kotlin-$KOTLIN_VERSION"
SWIFT_DIR="$CACHE/swift-$SWIFT_VERSION"
TS_DIR="$CACHE/$TS_ID"
APT_PRIVATE="$CACHE/apt-$SWIFT_SUITE"

log() { printf '[toolchains] %s\n' "$*" >&2; }
die() { printf '[toolchains] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
as_root() { if [[ "$(id -u)" == 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root (or sudo) for: $*"; fi; }

TMP_DIRS=()
cleanup() { local d; for d in "${TMP_DIRS[@]+"${TMP_DIRS[@]}"}"; do rm -rf -- "$d"; done; }
trap cleanup EXIT
# new_tmp NAME: sets TMP to a fresh "$CACHE/NAME.tmp.<pid>" folder, removed on exit (if not renamed away)
new_tmp() { TMP="$CACHE/$1.tmp.$$"; rm -rf -- "$TMP"; mkdir -p -- "$TMP"; TMP_DIRS+=("$TMP"); }
# publish TMP FINAL: atomically move a completed folder into place
publish() { rm -rf -- "$2"; mv -T -- "$1" "$2"; }

# ---------------------------------------------------------------------------- apt (system packages)
dpkg_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]; }
APT_UPDATED=0
apt_update_once() { ((APT_UPDATED)) && return 0; log "apt-get update"; as_root apt-get update -qq || die "apt-get update failed"; APT_UPDATED=1; }
apt_install() { # apt_install PKG...: installs those not yet installed; `apt-get update` only if needed
    local missing=() p
    for p in "$@"; do dpkg_installed "$p" || missing+=("$p"); done
    ((${#missing[@]})) || return 0
    for p in "${missing[@]}"; do # package unknown to the (possibly never fetched) lists -> update first
        apt-cache policy "$p" 2>/dev/null | grep -q '^ *Candidate: [^(]' || { apt_update_once; break; }
    done
    log "apt-get install ${missing[*]}"
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
        ((APT_UPDATED)) && die "apt-get install ${missing[*]} failed"
        log "apt-get install failed; retrying after apt-get update (stale package lists?)"
        apt_update_once
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
            die "apt-get install ${missing[*]} failed"
    fi
}

# ---------------------------------------------------------------------------- browser
setup_browser() {
    apt_install chromium chromium-driver fonts-dejavu-core
    [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || die "/usr/bin/chromium or /usr/bin/chromedriver missing after apt-get install"
}

# ---------------------------------------------------------------------------- kotlin
setup_kotlin() {
    local t0 tmp tgz
    t0=$(now)
    command -v java >/dev/null || apt_install default-jre-headless
    apt_install "${APT_PACKAGES_KOTLIN[@]}"
    local jar
    for jar in jna.jar junit4.jar hamcrest-core.jar; do
        [[ -f "/usr/share/java/$jar" ]] || die "/usr/share/java/$jar missing after installing ${APT_PACKAGES_KOTLIN[*]}"
    done
    if [[ ! -x "$KOTLIN_DIR/bin/kotlinc" || ! -f "$KOTLIN_DIR/.complete" ]]; then
        command -v npm >/dev/null || die "npm not found (needed to fetch kotlin-compiler)"
        log "fetching kotlin-compiler@$KOTLIN_VERSION (npm pack)"
        new_tmp "kotlin-$KOTLIN_VERSION"; tmp=$TMP
        (cd "$tmp" && npm pack --loglevel=error --pack-destination "$tmp" "kotlin-compiler@$KOTLIN_VERSION" >/dev/null) ||
            die "npm pack kotlin-compiler@$KOTLIN_VERSION failed (registry unreachable or version unknown)"
        tgz=$(find "$tmp" -maxdepth 1 -name 'kotlin-compiler-*.tgz' -print -quit)
        [[ -n "$tgz" ]] || die "npm pack produced no kotlin-compiler tarball"
        tar -xzf "$tgz" -C "$tmp" || die "cannot unpack $tgz"
        rm -f -- "$tgz"
        local j
        for j in kotlin-stdlib.jar kotlinx-coroutines-core-jvm.jar kotlin-test.jar kotlin-test-junit.jar; do
            [[ -f "$tmp/package/lib/$j" ]] || die "kotlin-compiler@$KOTLIN_VERSION lacks lib/$j"
        done
        chmod +x "$tmp"/package/bin/*
        "$tmp/package/bin/kotlinc" -version >/dev/null 2>&1 || die "the fetched kotlinc does not run (java: $(command -v java))"
        touch "$tmp/package/.complete"
        publish "$tmp/package" "$KOTLIN_DIR"
        log "kotlin-compiler $KOTLIN_VERSION ready in $(elapsed "$t0")"
    else
        log "kotlin-compiler $KOTLIN_VERSION: cached ($(elapsed "$t0"))"
    fi
}

# ---------------------------------------------------------------------------- swift (from trixie debs)
# A private apt configuration: its own sources.list, lists and (no) caches; the system's apt
# configuration, preferences and sources are not read, nothing is installed with dpkg.
private_apt() {
    apt-get \
        -o Dir::Etc::sourcelist="$APT_PRIVATE/sources.list" -o Dir::Etc::sourceparts="$APT_PRIVATE/empty" \
        -o Dir::Etc::preferences="$APT_PRIVATE/empty/none" -o Dir::Etc::preferencesparts="$APT_PRIVATE/empty" \
        -o Dir::State::Lists="$APT_PRIVATE/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
        -o Acquire::Languages=none -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root \
        -o Debug::NoLocking=1 "$@"
}
private_apt_update() {
    mkdir -p "$APT_PRIVATE/lists/partial" "$APT_PRIVATE/empty"
    printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
        "$DEBIAN_MIRROR" "$SWIFT_SUITE" >"$APT_PRIVATE/sources.list"
    log "apt-get update (private $SWIFT_SUITE lists in $APT_PRIVATE)"
    private_apt update -qq || die "apt-get update of the private $SWIFT_SUITE sources failed ($DEBIAN_MIRROR)"
}
# the candidate version of swiftlang in the private lists ("" if none); filenames spell an epoch's ':' as %3a
swift_candidate() { private_apt -qq download --print-uris swiftlang 2>/dev/null | sed -n "s/.*swiftlang_\([^_]*\)_.*/\1/p" | sed 's/%3a/:/' | head -1; }

swift_libpath() { printf '%s' "$1/usr/lib/x86_64-linux-gnu:$1/usr/libexec/swift/lib/swift/linux"; }

setup_swift() {
    local t0 tmp ver debver
    t0=$(now)
    [[ "$(uname -m)" == x86_64 ]] || die "the Swift set-up is written for x86_64 (this is $(uname -m))"
    if [[ -f "$SWIFT_DIR/.complete" ]]; then
        log "swift $SWIFT_VERSION: cached ($(elapsed "$t0"))"
        return 0
    fi
    if [[ ! -f "$APT_PRIVATE/sources.list" ]] || ! compgen -G "$APT_PRIVATE/lists/*Packages*" >/dev/null; then
        private_apt_update
    fi
    debver=$(swift_candidate)
    if [[ -z "$debver" ]]; then private_apt_update; debver=$(swift_candidate); fi
    [[ -n "$debver" ]] || die "no swiftlang package found in Debian $SWIFT_SUITE"
    [[ "${debver#*:}" == "$SWIFT_VERSION"[-+~]* ]] ||
        die "Debian $SWIFT_SUITE has swiftlang $debver, not $SWIFT_VERSION (set QAMQOR_SWIFT_VERSION to accept it)"
    new_tmp "swift-$SWIFT_VERSION"; tmp=$TMP
    mkdir -p "$tmp/debs" "$tmp/root"
    log "downloading swiftlang $debver + trixie runtime (~450 MB): ${SWIFT_DEBS[*]}"
    local td
    td=$(now)
    if ! (cd "$tmp/debs" && private_apt -q download "swiftlang=$debver" "libswiftlang=$debver" "${SWIFT_DEBS[@]:2}"); then
        log "download failed; refreshing the private package lists and retrying once"
        private_apt_update
        debver=$(swift_candidate)
        (cd "$tmp/debs" && private_apt -q download "swiftlang=$debver" "libswiftlang=$debver" "${SWIFT_DEBS[@]:2}") ||
            die "downloading the Swift debs from $DEBIAN_MIRROR ($SWIFT_SUITE) failed"
    fi
    log "downloaded $(du -sh "$tmp/debs" | cut -f1) in $(elapsed "$td"); unpacking"
    local deb
    for deb in "$tmp"/debs/*.deb; do dpkg-deb -x "$deb" "$tmp/root" || die "cannot unpack $deb"; done
    # verify before publishing: the frontend runs and every shared library resolves
    local ldso="$tmp/root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" lp fe="$tmp/root/usr/libexec/swift/bin/swift-frontend"
    lp=$(swift_libpath "$tmp/root")
    [[ -x "$ldso" && -x "$fe" ]] || die "unpacked debs lack $ldso or $fe"
    if "$ldso" --list --library-path "$lp" "$fe" | grep -q 'not found'; then
        "$ldso" --list --library-path "$lp" "$fe" | grep 'not found' >&2
        die "swift-frontend has unresolved libraries (add their packages to SWIFT_DEBS)"
    fi
    ver=$("$ldso" --library-path "$lp" "$fe" -version 2>&1 | head -1) || die "swift-frontend does not run: $ver"
    [[ "$ver" == *"Swift version $SWIFT_VERSION"* ]] || die "unexpected swift-frontend version: $ver"
    if [[ "${QAMQOR_KEEP_DEBS:-0}" == 1 ]]; then
        rm -rf -- "$CACHE/swift-debs" && mv -T -- "$tmp/debs" "$CACHE/swift-debs"
    fi
    printf '%s\n' "$debver" >"$tmp/root/.debian-version"
    touch "$tmp/root/.complete"
    publish "$tmp/root" "$SWIFT_DIR"
    rm -rf -- "$tmp"
    log "swift $SWIFT_VERSION ($ver) ready in $(elapsed "$t0")"
}

# ---------------------------------------------------------------------------- tree-sitter
setup_tree_sitter() {
    local t0 tmp
    t0=$(now)
    if [[ -f "$TS_DIR/.complete" ]]; then
        log "tree-sitter: cached ($(elapsed "$t0"))"
        return 0
    fi
    command -v npm >/dev/null || die "npm not found (needed for tree-sitter)"
    log "npm install ${TS_PACKAGES[*]} (--ignore-scripts)"
    new_tmp "$TS_ID"; tmp=$TMP
    printf '{ "name": "qamqor-tree-sitter", "private": true }\n' >"$tmp/package.json"
    (cd "$tmp" && npm install --silent --ignore-scripts --no-audit --no-fund "${TS_PACKAGES[@]}" >/dev/null) ||
        die "npm install of the tree-sitter packages failed"
    # verify: the native bindings load and both grammars parse a trivial file
    (cd "$tmp" && node -e '
        const P = require("tree-sitter"); const p = new P();
        p.setLanguage(require("tree-sitter-swift")); if (p.parse("let x = 1\n").rootNode.hasError) process.exit(1);
        p.setLanguage(require("@tree-sitter-grammars/tree-sitter-kotlin")); if (p.parse("val x = 1\n").rootNode.hasError) process.exit(1);
    ') || die "the installed tree-sitter packages do not load (no prebuilt binary for $(node -p 'process.platform + "-" + process.arch')?)"
    touch "$tmp/.complete"
    publish "$tmp" "$TS_DIR"
    log "tree-sitter ready in $(elapsed "$t0")"
}

# ---------------------------------------------------------------------------- env.sh
# Lists every component present in the cache (whether or not this run set it up).
render_env() {
    printf '# generated by scripts/toolchains.sh — source it; do not edit\n'
    printf 'export QAMQOR_CACHE=%q\n' "$CACHE"
    if [[ -f "$KOTLIN_DIR/.complete" ]]; then
        printf 'export KOTLIN_VERSION=%q\n' "$KOTLIN_VERSION"
        printf 'export KOTLIN_HOME=%q\n' "$KOTLIN_DIR"
        printf 'export KOTLINC=%q\n' "$KOTLIN_DIR/bin/kotlinc"
        printf 'export KOTLIN_LIB=%q\n' "$KOTLIN_DIR/lib"
        printf 'export JNA_JAR=%q\n' /usr/share/java/jna.jar
        printf 'export JUNIT_JAR=%q\n' /usr/share/java/junit4.jar
        printf 'export HAMCREST_JAR=%q\n' /usr/share/java/hamcrest-core.jar
    fi
    if [[ -f "$SWIFT_DIR/.complete" ]]; then
        local sl="$SWIFT_DIR/usr/libexec/swift/lib/swift"
        printf 'export SWIFT_VERSION=%q\n' "$SWIFT_VERSION"
        printf 'export SWIFT_ROOT=%q\n' "$SWIFT_DIR"
        printf 'export SWIFT_LDSO=%q\n' "$SWIFT_DIR/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
        printf 'export SWIFT_LIBRARY_PATH=%q\n' "$(swift_libpath "$SWIFT_DIR")"
        printf 'export SWIFT_FRONTEND=%q\n' "$SWIFT_DIR/usr/libexec/swift/bin/swift-frontend"
        printf 'export SWIFT_AUTOLINK_EXTRACT=%q\n' "$SWIFT_DIR/usr/libexec/swift/bin/swift-autolink-extract"
        printf 'export SWIFT_RESOURCE_DIR=%q\n' "$sl"
        printf 'export SWIFT_RUNTIME_LIB_DIR=%q\n' "$sl/linux"
        # XCTest: present in trixie's swiftlang? (module + library both needed)
        if [[ -f "$sl/linux/libXCTest.so" ]] && compgen -G "$sl/linux/x86_64/XCTest.swiftmodule*" >/dev/null; then
            printf 'export SWIFT_XCTEST=1\n'
        else
            printf 'export SWIFT_XCTEST=0\n'
        fi
    fi
    if [[ -f "$TS_DIR/.complete" ]]; then
        printf 'export TREE_SITTER_DIR=%q\n' "$TS_DIR"
    fi
}

# ---------------------------------------------------------------------------- main
if ((PRINT_ONLY)); then render_env; exit 0; fi

mkdir -p -- "$CACHE"
exec 9>"$CACHE/.lock"
if ! flock -n 9; then log "another toolchains.sh is running on $CACHE; waiting"; flock 9; fi
# leftovers of interrupted runs (we hold the lock, so nobody is using them)
find "$CACHE" -maxdepth 1 -name '*.tmp.*' -exec rm -rf -- {} +

T_ALL=$(now)
((DO_KOTLIN)) && setup_kotlin
((DO_SWIFT)) && setup_swift
((DO_TS)) && setup_tree_sitter
((DO_BROWSER)) && setup_browser

render_env >"$CACHE/env.sh.tmp.$$"
mv -f -- "$CACHE/env.sh.tmp.$$" "$CACHE/env.sh"
log "done in $(elapsed "$T_ALL"); environment: $CACHE/env.sh"
cat "$CACHE/env.sh"
