#!/bin/sh
# End-to-end checks of the practice commands on a scratch progress database:
# the scriptable JSON form (problem, verdict, recording, --no-record, syntax
# hints, unknown skills), `practice --list --json`, `review --json`, `export`,
# `progress` within 80 columns, a piped interactive session, and a file that
# is not a database refused and left as it was.
#
#   sh tests/e2e/practice.sh /path/to/lemma
#
# TAP-style output like cli.sh. Expected values are the issue's contract
# (issue 9: the JSON members, exit statuses of src/cli/practice.c's header)
# and the problem's own reference answer read from its JSON.
set -u

LEMMA=${1:-}
if [ -z "$LEMMA" ] || [ ! -x "$LEMMA" ]; then
    echo "not ok - the lemma binary is given as the first argument (got '$LEMMA')"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lemma-practice.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
DB="$tmp/progress.db"
# Nothing may fall back to the real user's database.
XDG_DATA_HOME="$tmp/xdg"
HOME="$tmp/home"
export XDG_DATA_HOME HOME
LC_ALL=C.UTF-8
export LC_ALL

failures=0
checks=0
pass() { checks=$((checks + 1)); printf 'ok - %s\n' "$1"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); printf 'not ok - %s\n' "$1"; }
show() {
    printf '#   exit status: %s\n' "$rc"
    sed 's/^/#   stdout: /' "$tmp/out" | head -40
    sed 's/^/#   stderr: /' "$tmp/err" | head -20
}
: >"$tmp/empty"
run() { "$LEMMA" "$@" <"$tmp/empty" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
expect_rc() {
    if [ "$rc" -eq "$2" ]; then pass "$1: exit status $2"; else fail "$1: exit status $rc, expected $2"; show; fi
}
expect_has() {
    if grep -F -q -e "$3" "$tmp/$2"; then pass "$1: $2 has '$3'"; else fail "$1: $2 lacks '$3'"; show; fi
}
expect_lacks() {
    if grep -F -q -e "$3" "$tmp/$2"; then fail "$1: $2 has '$3'"; show; else pass "$1: $2 lacks '$3'"; fi
}
# attempts in the export of $DB
count_attempts() { "$LEMMA" export --json --db "$DB" </dev/null | grep -c '"rating"'; }

SKILL=linalg-basics/dot-product

# ---- the skill list
run practice --list --json
expect_rc "practice --list --json" 0
expect_has "practice --list --json" out "\"id\":\"$SKILL\""
expect_has "practice --list --json" out '"module":"linalg-basics","level":"beginner"'
expect_has "practice --list --json" out '"prerequisites":['
run practice --list
expect_rc "practice --list" 0
expect_has "practice --list" out "Linear algebra basics (linalg-basics, beginner)"

# ---- one problem as JSON, the same for the same seed
run practice $SKILL --seed 7 --difficulty 2 --json
expect_rc "problem json" 0
cp "$tmp/out" "$tmp/problem1"
for member in "\"skill\":\"$SKILL\"" '"seed":7' '"level":2' '"prompt":"' '"answer_type":"number"' '"answer":"' \
    '"hints":["' '"solution":[{"text":"'; do
    expect_has "problem json" out "$member"
done
if [ "$(wc -l <"$tmp/out")" -eq 1 ]; then pass "problem json: one line"; else fail "problem json: not one line"; show; fi
run practice $SKILL --seed 7 --difficulty 2 --json
if cmp -s "$tmp/out" "$tmp/problem1"; then pass "same seed, same problem"; else fail "same seed gave another problem"; fi
run practice $SKILL --seed 8 --difficulty 2 --json
if cmp -s "$tmp/out" "$tmp/problem1"; then fail "another seed gave the same problem"; else pass "another seed, another problem"; fi
answer=$(sed -n 's/.*"answer":"\([^"]*\)".*/\1/p' "$tmp/problem1")
if [ -n "$answer" ]; then pass "the reference answer is there ($answer)"; else fail "no reference answer"; fi

# ---- verdicts and recording
[ ! -e "$DB" ] && pass "no database before the first attempt" || fail "a database exists too early"
run practice $SKILL --seed 7 --difficulty 2 --json --answer "$answer" --seconds 100 --db "$DB"
expect_rc "right answer" 0
expect_has "right answer" out '"correct":true'
expect_has "right answer" out '"recorded":true'
expect_has "right answer" out '"mastery":"familiar"'
expect_has "right answer" out '"next_review":"'
run practice $SKILL --seed 7 --difficulty 2 --json --answer "($answer)+1" --hints-used 1 --db "$DB"
expect_rc "wrong answer" 0
expect_has "wrong answer" out '"correct":false'
expect_has "wrong answer" out '"feedback":"'
expect_has "wrong answer" out '"recorded":true'
run practice $SKILL --seed 7 --difficulty 2 --json --answer "1 +* 2" --db "$DB"
expect_rc "unreadable answer" 0
expect_has "unreadable answer" out '"unparsed":true'
expect_has "unreadable answer" out '"recorded":false'
run practice $SKILL --seed 7 --difficulty 2 --json --answer "$answer" --no-record --db "$DB"
expect_has "--no-record" out '"correct":true'
expect_has "--no-record" out '"recorded":false'
n=$(count_attempts)
if [ "$n" -eq 2 ]; then pass "two attempts recorded"; else fail "$n attempts recorded, expected 2"; fi

# ---- usage errors and unknown skills
run practice linalg-basics/no-such-skill --seed 1 --json
expect_rc "unknown skill" 2
expect_has "unknown skill" out '"error":{"kind":"name"'
run practice linalg-basics/dot-prod --seed 1 --json
expect_has "a misspelt skill" out "did you mean 'linalg-basics/dot-product'?"
run practice chain-rul
expect_rc "a misspelt skill in a session" 2
expect_has "a misspelt skill in a session" err "did you mean 'calc-basics/chain-rule'?"
run practice $SKILL --seed 1 --difficulty 4 --json
expect_rc "difficulty 4" 2
expect_has "difficulty 4" err "--difficulty takes 1, 2 or 3, not '4'"
run practice $SKILL --seed 9007199254740993 --json
expect_rc "seed past 2^53" 2
expect_has "seed past 2^53" err "--seed takes a whole number from 0 to 9007199254740992"
run practice $SKILL --answer 3 --json
expect_rc "--answer without --seed" 2
run practice --frobnicate
expect_rc "unknown option" 2
expect_has "unknown option" err "unknown option '--frobnicate'"

# ---- export, review, progress
run export --json --db "$DB"
expect_rc "export" 0
expect_has "export" out '"format": "lemma-progress"'
expect_has "export" out "\"skill\": \"$SKILL\""
expect_has "export" out '"rating": "good"'  # 100 s is slower than "fast" (45 s at level 2)
expect_has "export" out '"rating": "again"'
run review --json --db "$DB"
expect_rc "review --json" 0
expect_has "review --json" out '['
run progress --db "$DB"
expect_rc "progress" 0
expect_has "progress" out "Progress: 2 attempts, a streak of 1 day."
expect_has "progress" out "Linear algebra basics"
expect_has "progress" out "dot-product"
wide=$(wc -L <"$tmp/out")
if [ "$wide" -le 80 ]; then pass "progress fits 80 columns ($wide)"; else fail "progress is $wide columns wide"; fi
run progress --db "$tmp/none.db"
expect_has "progress without a database" out "Nothing practised yet."
[ ! -e "$tmp/none.db" ] && pass "progress creates no database" || fail "progress created a database"

# ---- a piped session: a wrong answer, a hint, a solution, a skip, quit
printf '%s\n' "1 +* 2" "123456789" hint solution hint skip quit >"$tmp/in"
"$LEMMA" practice $SKILL --count 5 --db "$DB" <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc "session" 0
expect_has "session" out "Problem 1 of 5"
expect_has "session" out "Your answer could not be read"
expect_has "session" out "Not right"
expect_has "session" out "Worked solution"
expect_has "session" out "Hint 1 of"
expect_has "session" out "Skipped."
expect_has "session" out "Session summary"
expect_lacks "session" out "Problem 4 of 5"
wide=$(wc -L <"$tmp/out")
if [ "$wide" -le 80 ]; then pass "session fits 80 columns ($wide)"; else fail "session is $wide columns wide"; fi
n=$(count_attempts)
if [ "$n" -eq 3 ]; then pass "the session recorded one attempt"; else fail "$n attempts after the session, expected 3"; fi

# ---- a file that is not a database: refused, untouched
printf 'my notes, not a database\n' >"$tmp/notes.txt"
cp "$tmp/notes.txt" "$tmp/notes.orig"
run practice $SKILL --seed 7 --json --answer 1 --db "$tmp/notes.txt"
expect_rc "not a database" 1
expect_has "not a database" err "not an SQLite database"
expect_has "not a database" err "left untouched"
if cmp -s "$tmp/notes.txt" "$tmp/notes.orig"; then pass "the file is untouched"; else fail "the file was changed"; fi
run export --json --db "$tmp/notes.txt"
expect_rc "export of not a database" 1

printf '# %d checks, %d failed\n' "$checks" "$failures"
[ "$failures" -eq 0 ]
