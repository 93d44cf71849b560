# scripts/lib/test-server.sh: sourced by the Kotlin and Swift test scripts. `start_test_server`
# builds and starts the real sync server on a free loopback port with a fresh data directory,
# creates an organisation and its admin, and exports for the tests:
#   QAMQOR_TEST_SERVER_URL      http://127.0.0.1:PORT
#   QAMQOR_TEST_ADMIN_EMAIL     admin@test.qamqor.kz
#   QAMQOR_TEST_ADMIN_PASSWORD  a password of the admin
#   QAMQOR_TEST_ORG             the organisation's name
# Tests create employees through the admin's invitations, as a real onboarding does. The server
# is stopped when the sourcing script exits (`stop_test_server`, called by test-runner.sh).
# Environment: QAMQOR_SERVER_BIN (a built qamqor-server to use instead of building one).
# shellcheck shell=bash
TEST_SERVER_PID=""
TEST_SERVER_DIR=""

stop_test_server() {
    if [[ -n "$TEST_SERVER_PID" ]]; then
        kill "$TEST_SERVER_PID" 2>/dev/null || true
        wait "$TEST_SERVER_PID" 2>/dev/null || true
        TEST_SERVER_PID=""
    fi
    [[ -n "$TEST_SERVER_DIR" ]] && rm -rf -- "$TEST_SERVER_DIR"
    TEST_SERVER_DIR=""
}

start_test_server() {
    local repo="$1" bin="${QAMQOR_SERVER_BIN:-}" log i addr
    if [[ -z "$bin" ]]; then
        local target="${CARGO_TARGET_DIR:-$repo/target}"
        (cd "$repo" && cargo build --quiet -p qamqor-server --bin qamqor-server) || return 1
        bin="$target/debug/qamqor-server"
    fi
    TEST_SERVER_DIR="$(mktemp -d -t qamqor-test-server.XXXXXX)"
    export QAMQOR_TEST_ORG="Qamqor Test"
    export QAMQOR_TEST_ADMIN_EMAIL="admin@test.qamqor.kz"
    export QAMQOR_TEST_ADMIN_PASSWORD="test-admin-password-1"
    "$bin" --data-dir "$TEST_SERVER_DIR/data" org create --name "$QAMQOR_TEST_ORG" >/dev/null || return 1
    printf '%s\n' "$QAMQOR_TEST_ADMIN_PASSWORD" |
        "$bin" --data-dir "$TEST_SERVER_DIR/data" user add --org "$QAMQOR_TEST_ORG" --email "$QAMQOR_TEST_ADMIN_EMAIL" \
            --name "Test Admin" --role admin >/dev/null || return 1
    log="$TEST_SERVER_DIR/server.log"
    # Port 0: the system picks a free port; the server logs the address it bound.
    QAMQOR_LOG=info "$bin" --data-dir "$TEST_SERVER_DIR/data" serve --listen 127.0.0.1:0 --log-format json >"$log" 2>&1 &
    TEST_SERVER_PID=$!
    for i in $(seq 1 200); do
        # logged once the socket is bound, so the server accepts connections from here on
        addr=$(grep -o '"addr":"[0-9.:]*"' "$log" 2>/dev/null | head -1 | cut -d'"' -f4)
        if [[ -n "$addr" ]]; then
            export QAMQOR_TEST_SERVER_URL="http://$addr"
            return 0
        fi
        kill -0 "$TEST_SERVER_PID" 2>/dev/null || { cat "$log" >&2; return 1; }
        sleep 0.05
    done
    cat "$log" >&2
    return 1
}
