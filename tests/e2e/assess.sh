#!/bin/sh
# `lemma assess` end to end with --answers: a beginner is sent to
# linalg-basics, all intermediate problems right gives the intermediate path,
# everything right the advanced path, garbage a clear message (no crash), and
# every screen fits 80 columns. The answer files are tests/fixtures/assess-*.txt
# (worked out by hand; their comments show the working).
#
#   sh tests/e2e/assess.sh /path/to/lemma
set -u
lemma=${1:-}
if [ -z "$lemma" ] || [ ! -x "$lemma" ]; then
    echo "not ok - the lemma binary is given as the first argument (got '$lemma')"
    exit 1
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
fx=$root/tests/fixtures
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lemma-assess.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fail=1; fi; }
widest() { LC_ALL=C.UTF-8 wc -L < "$1"; }

"$lemma" assess --list > "$tmp/list" 2>&1
check $? "lemma assess --list exits 0"
grep -q 'linalg-basics/matrix-product' "$tmp/list" && grep -q 'self/chain-rule' "$tmp/list"
check $? "--list shows the ids"

"$lemma" assess --answers "$fx/assess-beginner.txt" > "$tmp/beg" 2>&1
check $? "a beginner's answers run to the end"
grep -q 'the beginner path, starting with' "$tmp/beg" && grep -q '(linalg-basics)' "$tmp/beg" &&
    grep -q 'lemma learn linalg-basics/' "$tmp/beg"
check $? "a beginner is sent to linalg-basics on the beginner path"

"$lemma" assess --answers "$fx/assess-intermediate.txt" > "$tmp/int" 2>&1
check $? "intermediate answers run to the end"
grep -q 'beginner 4 of 4, intermediate 4 of 4, advanced 0 of 3 right' "$tmp/int"
check $? "every beginner and intermediate answer is judged right"
grep -q 'the intermediate path, starting with' "$tmp/int" && grep -q '(linalg)' "$tmp/int"
check $? "all intermediate problems right gives the intermediate path (linalg: eigenvalues rated lowest)"

"$lemma" assess --answers "$fx/assess-advanced.txt" > "$tmp/adv" 2>&1
check $? "advanced answers run to the end"
grep -q 'beginner 4 of 4, intermediate 4 of 4, advanced 3 of 3 right' "$tmp/adv" &&
    grep -q 'the advanced path, starting with' "$tmp/adv"
check $? "everything right gives the advanced path"

for f in beg int adv list; do
    [ "$(widest "$tmp/$f")" -le 80 ] || check 1 "the $f transcript fits 80 columns (widest $(widest "$tmp/$f"))"
done
check 0 "the transcripts fit 80 columns"

"$lemma" assess --answers "$fx/assess-garbage.txt" > "$tmp/garbage" 2>&1
rc=$?
[ $rc = 2 ] && grep -q 'line 1: .* is not a rating' "$tmp/garbage"
check $? "a garbage line exits 2 naming the line (exit $rc)"

head -n 8 "$fx/assess-intermediate.txt" > "$tmp/short.txt"
"$lemma" assess --answers "$tmp/short.txt" > "$tmp/short" 2>&1
rc=$?
[ $rc = 2 ] && grep -q 'answers for 5 of the 16 questions' "$tmp/short"
check $? "a short answers file says how many answers it had (exit $rc)"

head -c 3000 /dev/urandom > "$tmp/random.bin" 2>/dev/null || printf '\377\376\001' > "$tmp/random.bin"
"$lemma" assess --answers "$tmp/random.bin" > "$tmp/random" 2>&1
rc=$?
[ $rc = 0 ] || [ $rc = 2 ]
check $? "random bytes give an answer or a message, not a crash (exit $rc)"

"$lemma" assess --answers "$tmp/nonexistent" > "$tmp/missing" 2>&1
[ $? = 2 ] && grep -q 'cannot read the answers file' "$tmp/missing"
check $? "a missing answers file is reported"

exit $fail
