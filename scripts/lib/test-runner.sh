# scripts/lib/test-runner.sh: sourced by test-kotlin.sh and test-swift.sh after they set LABEL.
# Whatever happens after sourcing, the output ends with the line "<LABEL>: N passed, N failed"
# (the runner prints the real one and sets SUMMARY_DONE=1; a step that dies first leaves
# "0 passed, 1 failed"), and the exit status is non-zero on any failure.
# shellcheck shell=bash
SUMMARY_DONE=0
# shellcheck disable=SC2317 # called through the EXIT trap
runner_on_exit() {
    local rc=$?
    # a test server started through scripts/lib/test-server.sh stops with the script
    if declare -F stop_test_server >/dev/null; then stop_test_server; fi
    if ((!SUMMARY_DONE)); then
        printf '%s: 0 passed, 1 failed\n' "$LABEL"
        ((rc)) || rc=1
    fi
    exit "$rc"
}
trap runner_on_exit EXIT
fail() { printf '[test-%s] ERROR: %s\n' "$LABEL" "$*" >&2; exit 1; }
