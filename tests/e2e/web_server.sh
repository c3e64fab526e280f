#!/bin/bash
# End-to-end test of `lemma serve` over real HTTP with curl: a server on
# 127.0.0.1 at a free port, then the bad requests the issue names (traversal
# paths, huge bodies, broken JSON, wrong methods, a bad Origin, a slow client),
# an expired session, a runaway program while another request completes
# quickly, /healthz while a worker is busy, and a practice answer checked in a
# worker process.
# Usage: web_server.sh PATH/TO/lemma
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u

LEMMA=${1:?usage: web_server.sh PATH/TO/lemma}
command -v curl >/dev/null || { echo "web_server.sh: curl is missing (scripts/install-deps installs it)"; exit 1; }

. "$(dirname "$0")/../lib/serve.sh"
tmp=$(mktemp -d)
cleanup() {
    stop_server
    rm -rf "$tmp"
}
trap cleanup EXIT

fails=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }
# check NAME WANT GOT
check() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi; }
# contains NAME NEEDLE FILE
contains() { if grep -qF -- "$2" "$3"; then pass "$1"; else fail "$1: no '$2' in: $(head -c 400 "$3")"; fi; }

# --time-limit 1: a runaway loop is stopped after 1 s; --client-timeout 2: a
# silent connection is dropped after 2 s; --session-idle 2: sessions expire.
start_server "$LEMMA" "$tmp" --workers 2 --time-limit 1 --client-timeout 2 --session-idle 2 \
    --db "$tmp/progress.db" || exit 1
echo "server at $base"

# status METHOD PATH [curl args...]: prints the HTTP status; the body goes to $tmp/body
status() {
    local m=$1 p=$2
    shift 2
    curl -s --path-as-is -o "$tmp/body" -w '%{http_code}' -X "$m" "$@" "$base$p"
}

check "healthz" 200 "$(status GET /healthz)"
contains "healthz body" '"ok":true' "$tmp/body"
# the UI is there, so the 404s for traversal paths below are refusals, not a missing folder
check "home page" 200 "$(status GET /)"
contains "home page is the UI" '<script defer src="/app.js">' "$tmp/body"
check "KaTeX served" 200 "$(status GET /vendor/katex/katex.min.js)"

# ---- eval ----
check "eval" 200 "$(status POST /api/eval -d '{"program": "x = 6*7"}')"
contains "eval value" '{"ok":true,"name":"x","type":"number","value":42}' "$tmp/body"
check "eval error is 200" 200 "$(status POST /api/eval -d '{"program": "1 +* 2"}')"
contains "eval error in results" '"kind":"parse"' "$tmp/body"
check "file builtins off" 200 "$(status POST /api/eval -d '{"program": "csv(\"/etc/passwd\")"}')"
contains "file builtins off: says so" 'turned off in the web workbench' "$tmp/body"

# ---- traversal ----
for p in /../../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /vendor/katex/../../package.json \
    /vendor/katex/%2e%2e/%2e%2e/%2e%2e/package.json /.git/config '/..%2f..%2fetc%2fpasswd' /web/../CMakeLists.txt; do
    code=$(status GET "$p")
    if [ "$code" = 404 ] || [ "$code" = 400 ]; then pass "traversal $p ($code)"; else fail "traversal $p: got $code"; fi
    if grep -q 'root:' "$tmp/body"; then fail "traversal $p leaked a file"; fi
done

# ---- bodies ----
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$tmp/huge"
check "huge body" 413 "$(status POST /api/eval -H 'Content-Type: application/json' --data-binary @"$tmp/huge")"
check "huge chunked body" 413 "$(status POST /api/eval -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/huge")"
check "broken JSON" 400 "$(status POST /api/eval -d '{"program": "1 +')"
contains "broken JSON says why" 'not valid JSON' "$tmp/body"
check "not an object" 400 "$(status POST /api/eval -d '"1 + 2"')"
check "no program" 400 "$(status POST /api/eval -d '{}')"

# ---- methods ----
check "GET /api/eval" 405 "$(status GET /api/eval)"
check "PUT /api/eval" 405 "$(status PUT /api/eval -d '{}')"
curl -s -o /dev/null -D "$tmp/headers" -X DELETE "$base/healthz"
contains "405 says what is allowed" 'Allow: GET, HEAD' "$tmp/headers"
check "POST a page" 405 "$(status POST /index.html -d x)"

# ---- origin, host ----
check "bad Origin" 403 "$(status POST /api/eval -H 'Origin: http://evil.example' -d '{"program": "1"}')"
check "own Origin" 200 "$(status POST /api/eval -H "Origin: $base" -d '{"program": "1"}')"
check "rebound Host" 421 "$(status GET /api/lessons -H "Host: evil.example:$port")"
curl -s -D "$tmp/headers" -o /dev/null -H 'Origin: http://evil.example' "$base/api/lessons"
if grep -qi 'Access-Control-Allow-Origin' "$tmp/headers"; then fail "no CORS header"; else pass "no CORS header"; fi

# ---- expired session ----
curl -s -d '{"program": "a = 1;"}' "$base/api/eval" >"$tmp/s1"
sid=$(sed -n 's/.*"session":"\([^"]*\)".*/\1/p' "$tmp/s1")
[ -n "$sid" ] && pass "session id" || fail "no session id in $(cat "$tmp/s1")"
curl -s -d "{\"program\": \"a + 1\", \"session\": \"$sid\"}" "$base/api/eval" >"$tmp/s2"
contains "session keeps a" '"value":2' "$tmp/s2"
sleep 2.5
curl -s -d "{\"program\": \"a\", \"session\": \"$sid\"}" "$base/api/eval" >"$tmp/s3"
contains "idle session expired" '"expired":true' "$tmp/s3"
if grep -qF "\"session\":\"$sid\"" "$tmp/s3"; then fail "expired session: a fresh id"; else pass "expired session: a fresh id"; fi

# ---- a runaway program while others go on ----
start=$(date +%s%N)
curl -s -d '{"program": "while true, end"}' "$base/api/eval" >"$tmp/runaway" &
runaway=$!
sleep 0.3
t=$(curl -s -o "$tmp/quick" -w '%{time_total}' -d '{"program": "1 + 2"}' "$base/api/eval")
contains "quick request beside a runaway" '"value":3' "$tmp/quick"
if awk -v t="$t" 'BEGIN { exit !(t < 0.5) }'; then pass "quick request took ${t}s"; else fail "quick request took ${t}s"; fi
# a second runaway: now both workers are busy, and /healthz still answers at once
curl -s -d '{"program": "k = 0; while true, k = k + 1; end"}' "$base/api/eval" >"$tmp/runaway2" &
runaway2=$!
sleep 0.3
t=$(curl -s -o "$tmp/health" -w '%{time_total}' "$base/healthz")
contains "healthz while every worker is busy" '"busy":2' "$tmp/health"
if awk -v t="$t" 'BEGIN { exit !(t < 0.5) }'; then pass "healthz took ${t}s"; else fail "healthz took ${t}s"; fi
wait "$runaway" "$runaway2"
contains "runaway stopped with a limit error" '"kind":"limit"' "$tmp/runaway"
contains "second runaway stopped with a limit error" '"kind":"limit"' "$tmp/runaway2"
elapsed=$((($(date +%s%N) - start) / 1000000))
if [ "$elapsed" -lt 4000 ]; then pass "runaway stopped after ${elapsed} ms"; else fail "runaway took ${elapsed} ms"; fi

# ---- one LAPACK call cannot be interrupted: its worker is killed at the hard
# deadline (time limit + 2 s) and replaced; its sessions answer as expired ----
curl -s -d '{"program": "a = 1;"}' "$base/api/eval" >"$tmp/k1"
sid=$(sed -n 's/.*"session":"\([^"]*\)".*/\1/p' "$tmp/k1")
t=$(curl -s -o "$tmp/k2" -w '%{time_total}' -d "{\"program\": \"e = eig(rand(3000));\", \"session\": \"$sid\"}" "$base/api/eval")
contains "uninterruptible call stopped with a limit error" '"kind":"limit"' "$tmp/k2"
if awk -v t="$t" 'BEGIN { exit !(t < 4.5) }'; then pass "worker killed after ${t}s"; else fail "worker killed after ${t}s"; fi
curl -s -d "{\"program\": \"a\", \"session\": \"$sid\"}" "$base/api/eval" >"$tmp/k3"
contains "killed worker's session answers expired" '"expired":true' "$tmp/k3"
contains "a fresh workspace after the kill" '{"ok":true,"type":"expr","text":"a","latex":"a"}' "$tmp/k3"
check "eval works after the kill" 200 "$(status POST /api/eval -d '{"program": "2^10"}')"
contains "eval after the kill" '"value":1024' "$tmp/body"

# ---- practice answers are checked in a worker process, not in the server ----
# 120 slow calls (each a 1000×1000 inverse) in one answer: while it is being
# checked /healthz counts a busy worker, and the checker's own 2 s limit makes
# it a typing hint ("took too long"), not a recorded attempt.
slow=$(for k in $(seq 120); do printf '%sdet(inv(ones(1000)+eye(1000)))' "$([ "$k" = 1 ] || echo +)"; done)
curl -s -d "{\"skill\": \"linalg/determinant-3x3\", \"seed\": 1, \"difficulty\": 1, \"answer\": \"$slow\"}" \
    "$base/api/practice/answer" >"$tmp/slowanswer" &
slowpid=$!
sleep 0.7
curl -s "$base/healthz" >"$tmp/health3"
contains "an answer being checked occupies a worker" '"busy":1' "$tmp/health3"
wait "$slowpid"
contains "a long answer is a hint, not an attempt" '"verdict":"unparsed"' "$tmp/slowanswer"
contains "a long answer says why" 'took too long' "$tmp/slowanswer"
check "answer checked in a worker" 200 "$(status POST /api/practice/answer -d '{"skill": "linalg/determinant-3x3", "seed": 1, "difficulty": 1, "answer": "-22"}')"
contains "the right answer is right" '"verdict":"correct"' "$tmp/body"

# ---- a slow client is dropped after --client-timeout ----
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'POST /api/eval HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nContent-Length: 100\r\n\r\n{"pro' "$port" >&3
t0=$(date +%s)
timeout 10 cat <&3 >/dev/null
rc=$?
waited=$(($(date +%s) - t0))
exec 3<&-
if [ "$rc" -ne 124 ] && [ "$waited" -le 5 ]; then pass "slow client dropped after ${waited}s"; else fail "slow client kept (rc $rc, ${waited}s)"; fi
check "healthz after all that" 200 "$(status GET /healthz)"

kill "$server_pid"
wait "$server_pid"
rc=$?
server_pid=
check "server stops cleanly on SIGTERM" 0 "$rc"

echo "web_server.sh: $fails failed"
[ "$fails" -eq 0 ]
