#!/bin/sh
# `lemma learn` end to end: the real lessons pass `--check` (so CI fails on any
# broken lesson), every lesson renders within 80 columns without colour when
# piped, answers stay hidden unless asked, unknown ids get suggestions, and the
# bad fixture's mistakes come back with file:line.
#
#   sh tests/e2e/learn.sh /path/to/lemma
set -u
lemma=${1:-}
if [ -z "$lemma" ] || [ ! -x "$lemma" ]; then
    echo "not ok - the lemma binary is given as the first argument (got '$lemma')"
    exit 1
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lemma-learn.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fail=1; fi; }
# the widest line in display columns (GNU wc counts characters, not bytes, in UTF-8)
widest() { LC_ALL=C.UTF-8 wc -L < "$1"; }

"$lemma" learn --check --dir "$root/lessons" > "$tmp/check" 2>&1
rc=$?
if [ $rc != 0 ]; then sed 's/^/# /' "$tmp/check"; fi
check $rc "lemma learn --check passes on lessons/"
grep -Eq '^[0-9]+ lessons, [0-9]+ cells checked' "$tmp/check"
check $? "--check ends with 'N lessons, M cells checked'"

"$lemma" learn --check > "$tmp/embedded" 2>&1
check $? "the embedded copy of the lessons passes --check too"

"$lemma" learn > "$tmp/overview" 2>&1
check $? "lemma learn lists the course"
grep -q 'Beginner path' "$tmp/overview" && grep -q 'Advanced path' "$tmp/overview"
check $? "the overview shows the paths by level"
[ "$(widest "$tmp/overview")" -le 80 ]
check $? "the overview fits 80 columns"
# titles wrap rather than end in an ellipsis: this one is 45 characters long
! grep -q '…' "$tmp/overview" && grep -q 'The identity, the inverse and the' "$tmp/overview" &&
    grep -Eq '^ +determinant$' "$tmp/overview"
check $? "the overview shows whole lesson titles, wrapped"

ids=$("$lemma" learn --check --dir "$root/lessons" >/dev/null 2>&1; grep -h '^id:' "$root"/lessons/*/[0-9][0-9]-*.md 2>/dev/null | sed 's/^id: *//')
n=0
for id in $ids; do
    n=$((n + 1))
    "$lemma" learn "$id" > "$tmp/lesson" 2>&1
    rc=$?
    w=$(widest "$tmp/lesson")
    if [ $rc != 0 ] || [ "$w" -gt 80 ] || grep -q "$(printf '\033')" "$tmp/lesson"; then
        check 1 "lemma learn $id (exit $rc, widest line $w)"
    fi
done
check 0 "all $n lessons render piped: exit 0, within 80 columns, no ANSI colour"

first=$(echo "$ids" | head -n 1)
if [ -n "$first" ]; then
    "$lemma" learn "$first" > "$tmp/hidden"
    grep -q 'Answer hidden' "$tmp/hidden" && ! grep -q 'Answer\.' "$tmp/hidden"
    check $? "answers are hidden by default ($first)"
    "$lemma" learn "$first" --answers > "$tmp/shown"
    grep -q 'Answer\.' "$tmp/shown"
    check $? "--answers shows them"
fi

"$lemma" learn "$root/no-such-lesson" > "$tmp/out" 2> "$tmp/err"
[ $? = 2 ] && grep -q "there is no lesson" "$tmp/err"
check $? "an unknown id exits 2 with a message"
"$lemma" learn --check --dir "$root/tests/fixtures/lessons-good" > "$tmp/out" 2>&1
check $? "the good fixture passes --check"
printf '%s\n' "$(cat "$tmp/out")" | grep -q '^1 lessons, 6 cells checked$'
check $? "the good fixture: 1 lesson, 6 cells"
"$lemma" learn mod/onyl --dir "$root/tests/fixtures/lessons-good" > "$tmp/out" 2> "$tmp/err"
[ $? = 2 ] && grep -q "did you mean 'mod/only'" "$tmp/err"
check $? "a misspelt id is answered with the closest id"
"$lemma" learn vectorz > "$tmp/out" 2> "$tmp/err"
[ $? = 2 ] && grep -q "did you mean 'linalg-basics/vectors'" "$tmp/err"
check $? "a misspelt slug alone finds its lesson"

"$lemma" learn --check --dir "$root/tests/fixtures/lessons-bad" > "$tmp/bad" 2>&1
[ $? = 1 ]
check $? "the bad fixture fails --check with exit 1"
for want in "01-front.md:7: unknown front-matter key 'colour'" \
            "03-sections.md:26: this cell fails: unknown function 'sine'" \
            "03-sections.md:32: this lemma-error cell runs without an error" \
            "03-sections.md:21: 'rand' draws random numbers before any seed" \
            "04-open.md:1: the front matter opened on line 1 is never closed"; do
    grep -qF "$want" "$tmp/bad"
    check $? "reported: $want"
done

"$lemma" learn --bogus > /dev/null 2>&1
[ $? = 2 ]
check $? "an unknown option is a usage error (exit 2)"
exit $fail
