#!/usr/bin/env bash
# Load test of `lemma serve` (issue 10's target): wrk on loopback, 2 connections
# for $WEB_SECONDS (default 30) s, POSTing a small expression to /api/eval, while
# a runaway program (an endless loop, stopped by the 5 s time limit) runs
# beside it twice. Target: >= 5,000 requests/s, p99 < 5 ms, no errors, and the
# runaway answered with a `limit` error without stalling the others.
# Needs $LEMMA (bench/run sets it) and wrk (scripts/install-deps installs it).
set -eu
cd "$(dirname "$0")/.."
LEMMA=${LEMMA:-build/lemma}
SECONDS_RUN=${WEB_SECONDS:-30}
out=${BENCH_OUT:-$(mktemp -d)}
mkdir -p "$out"
command -v wrk >/dev/null || { echo "web: wrk is missing (scripts/install-deps installs it)" >&2; exit 1; }

. tests/lib/serve.sh
trap stop_server EXIT
start_server "$LEMMA" "$out" --db "$out/progress.db" || { echo "web: the server did not start" >&2; exit 1; }
url="$base/api/eval"

runaway() { # after $1 s, an endless loop; prints its status, time and error kind
    sleep "$1"
    curl -s -o "$out/runaway$1.json" -w "runaway at ${1}s: HTTP %{http_code} in %{time_total}s" \
        -d '{"program": "while true, end"}' "$url"
    echo ", $(grep -o '"kind":"[a-z]*"' "$out/runaway$1.json")"
}
runaway 5 >"$out/runaway_a.txt" &
ra=$!
runaway 15 >"$out/runaway_b.txt" &
rb=$!
wrk -t2 -c2 -d"${SECONDS_RUN}s" --latency -s bench/web.lua "$url" | tee "$out/wrk.txt"
wait "$ra" "$rb"
cat "$out/runaway_a.txt" "$out/runaway_b.txt"

line=$(grep '^WEBBENCH' "$out/wrk.txt")
rps=$(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$line")
p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$line")
errors=$(sed -E 's/.*errors=([0-9]+) non2xx=([0-9]+).*/\1+\2/' <<<"$line")
verdict=pass
awk -v r="$rps" -v p="$p99" 'BEGIN { exit !(r >= 5000 && p < 5) }' || verdict=FAIL
[ "$((errors))" -eq 0 ] || verdict=FAIL
grep -q '"kind":"limit"' "$out/runaway_a.txt" "$out/runaway_b.txt" || verdict=FAIL
echo "web: ${rps} requests/s, p99 ${p99} ms, errors ${errors} (target >= 5000 requests/s, p99 < 5 ms, 0 errors): $verdict"
[ "$verdict" = pass ]
