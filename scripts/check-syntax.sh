#!/usr/bin/env bash
# scripts/check-syntax.sh — tree-sitter syntax check of Swift and Kotlin sources: the generated
# bindings, the binding tests, and the iOS (SwiftUI) and Android (Compose) code that cannot be compiled
# on Linux. A parse check, not a compile: it catches broken syntax, not type errors.
#
# Every run first checks the checker (scripts/check-syntax.js self-test): a broken Swift file and a
# broken Kotlin file must be rejected — raw and after the grammar-gap rewrites — and samples of the
# known grammar gaps (UniFFI's `#if swift(>=5.8)` around an attribute; Kotlin's `*/ fun` on one line)
# must pass once rewritten. The rewrites keep lines and columns in place; see check-syntax.js.
#
# Usage: scripts/check-syntax.sh [--raw] [--self-test] [FILE|DIR]...
#   FILE|DIR     files (.swift, .kt, .kts) or folders to search for *.swift and *.kt; default: the
#                generated bindings, bindings/tests, ios/ and android/ (those that exist)
#   --raw        parse without the grammar-gap rewrites (shows the gaps)
#   --self-test  only run the controls
# Environment: QAMQOR_BINDINGS_DIR (default <repo>/bindings/generated), QAMQOR_CACHE as for toolchains.sh
# Output ends with "syntax: N passed, N failed" (N = files). Exit status: 0 clean, 1 syntax errors,
# 3 the self-test failed.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$SCRIPTS")"
GEN="${QAMQOR_BINDINGS_DIR:-$REPO/bindings/generated}"
JS_ARGS=()
PATHS=()
SELF_TEST_ONLY=0
while (($#)); do
    case "$1" in
        --raw) JS_ARGS+=(--raw) ;;
        --self-test) SELF_TEST_ONLY=1 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "check-syntax.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
        *) PATHS+=("$1") ;;
    esac
    shift
done

"$SCRIPTS/toolchains.sh" --no-kotlin --no-swift >/dev/null
# shellcheck disable=SC1091
. "${QAMQOR_CACHE:-$HOME/.cache/qamqor}/env.sh"
[[ -n "${TREE_SITTER_DIR:-}" ]] || { echo "check-syntax.sh: env.sh has no TREE_SITTER_DIR" >&2; exit 1; }

if ((SELF_TEST_ONLY)); then exec node "$SCRIPTS/check-syntax.js" "${JS_ARGS[@]+"${JS_ARGS[@]}"}"; fi

if ((${#PATHS[@]} == 0)); then
    for d in "$GEN/swift" "$GEN/kotlin" "$REPO/bindings/tests" "$REPO/ios" "$REPO/android"; do
        [[ -d "$d" ]] && PATHS+=("$d")
    done
fi
FILES=()
for p in "${PATHS[@]+"${PATHS[@]}"}"; do
    if [[ -d "$p" ]]; then
        mapfile -t -O "${#FILES[@]}" FILES < <(find "$p" \( -name build -o -name .gradle -o -name .build -o -name node_modules \) -prune \
            -o -type f \( -name '*.swift' -o -name '*.kt' \) -print | sort)
    elif [[ -f "$p" ]]; then
        FILES+=("$p")
    else
        echo "check-syntax.sh: no such file or folder: $p" >&2
        exit 2
    fi
done
if ((${#FILES[@]} == 0)); then
    echo "check-syntax.sh: no Swift or Kotlin files to check" >&2
    exit 1
fi
exec node "$SCRIPTS/check-syntax.js" "${JS_ARGS[@]+"${JS_ARGS[@]}"}" "${FILES[@]}"
