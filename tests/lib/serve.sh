# Sourced by the scripts that need a running `lemma serve` (tests/e2e/web_*.sh,
# tests/e2e/shared_db.sh, bench/web.sh): starts one on 127.0.0.1 at a free port.
#   start_server LEMMA DIR [serve options...]
# writes DIR/server.out and DIR/server.err, and sets server_pid, port and base
# (http://127.0.0.1:PORT). Returns 1, after printing the server's output, when no
# URL appeared within 10 s. stop_server ends it (safe to call twice).
start_server() {
    local lemma=$1 dir=$2
    shift 2
    "$lemma" serve --port 0 "$@" >"$dir/server.out" 2>"$dir/server.err" &
    server_pid=$!
    port=
    local _
    for _ in $(seq 100); do
        port=$(sed -n 's|^lemma serve: http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$dir/server.out" 2>/dev/null)
        [ -n "$port" ] && break
        sleep 0.1
    done
    if [ -z "$port" ]; then
        echo "the server did not start:" >&2
        cat "$dir/server.out" "$dir/server.err" >&2
        return 1
    fi
    base="http://127.0.0.1:$port"
}

stop_server() {
    if [ -n "${server_pid:-}" ]; then
        kill "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
        server_pid=
    fi
}
