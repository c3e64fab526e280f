#!/bin/bash
# The command line and the web server writing one progress database at the same
# time (issue 9): a server on 127.0.0.1 answers practice attempts posted with curl
# while `lemma practice --answer` records attempts from another process. Every
# attempt of both must be recorded, and the file must pass SQLite's integrity check
# (read back through `lemma export --json`, which refuses a damaged file).
# Usage: shared_db.sh PATH/TO/lemma
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u

LEMMA=${1:?usage: shared_db.sh PATH/TO/lemma}
command -v curl >/dev/null || { echo "shared_db.sh: curl is missing (scripts/install-deps installs it)"; exit 1; }
N=40 # attempts from each side

. "$(dirname "$0")/../lib/serve.sh"
tmp=$(mktemp -d)
cleanup() {
    stop_server
    rm -rf "$tmp"
}
trap cleanup EXIT
db=$tmp/progress.db
skill=linalg-basics/vector-add

start_server "$LEMMA" "$tmp" --workers 1 --db "$db" || exit 1

# The web side posts seeds 1..N, the command line seeds N+1..2N, both at once;
# each answer is the problem's own reference answer, so every one is correct.
web_side() {
    local seed answer
    for seed in $(seq 1 "$N"); do
        answer=$("$LEMMA" practice "$skill" --seed "$seed" --difficulty 1 --json --db "$db" |
            sed -n 's/.*"answer": *"\([^"]*\)".*/\1/p')
        curl -s -X POST -d "{\"skill\": \"$skill\", \"seed\": $seed, \"difficulty\": 1, \"answer\": \"$answer\"}" \
            "$base/api/practice/answer" >>"$tmp/web.out"
        echo >>"$tmp/web.out"
    done
}
cli_side() {
    local seed answer
    for seed in $(seq $((N + 1)) $((2 * N))); do
        answer=$("$LEMMA" practice "$skill" --seed "$seed" --difficulty 1 --json --db "$db" |
            sed -n 's/.*"answer": *"\([^"]*\)".*/\1/p')
        "$LEMMA" practice "$skill" --seed "$seed" --difficulty 1 --json --answer "$answer" --db "$db" >>"$tmp/cli.out"
    done
}
web_side &
web_pid=$!
cli_side
wait "$web_pid"

fails=0
web_ok=$(grep -c '"recorded": *true' "$tmp/web.out")
cli_ok=$(grep -c '"recorded": *true' "$tmp/cli.out")
web_right=$(grep -c '"correct": *true' "$tmp/web.out")
[ "$web_ok" -eq "$N" ] && [ "$web_right" -eq "$N" ] || {
    echo "FAIL the server recorded $web_ok of $N attempts ($web_right correct):"
    head -n 5 "$tmp/web.out"
    fails=$((fails + 1))
}
[ "$cli_ok" -eq "$N" ] || {
    echo "FAIL the command line recorded $cli_ok of $N attempts:"
    head -n 5 "$tmp/cli.out"
    fails=$((fails + 1))
}
"$LEMMA" export --json --db "$db" >"$tmp/export.json" || { echo "FAIL export refused the database"; fails=$((fails + 1)); }
attempts=$(grep -c '"seed":' "$tmp/export.json")
[ "$attempts" -eq $((2 * N)) ] || { echo "FAIL the export has $attempts attempts, expected $((2 * N))"; fails=$((fails + 1)); }
if [ "$fails" -eq 0 ]; then
    echo "ok   the server and the command line recorded $N attempts each in one database at once"
fi
exit "$fails"
