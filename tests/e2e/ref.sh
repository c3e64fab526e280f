#!/bin/sh
# `lemma ref` end to end: every check passes (exit 0, a ✓ on each, no ✗) on a
# fresh seed and on a fixed one, one topic shows only that topic, an unknown
# topic lists the topics, and every line fits 80 columns.
#
#   sh tests/e2e/ref.sh /path/to/lemma
set -u
lemma=${1:-}
if [ -z "$lemma" ] || [ ! -x "$lemma" ]; then
    echo "not ok - the lemma binary is given as the first argument (got '$lemma')"
    exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lemma-ref.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fail=1; fi; }
widest() { LC_ALL=C.UTF-8 wc -L < "$1"; }

"$lemma" ref > "$tmp/all" 2>&1
rc=$?
if [ $rc != 0 ]; then grep -A6 '✗' "$tmp/all" | sed 's/^/# /'; fi
check $rc "lemma ref exits 0 (every check passed)"
n=$(grep -c '^  ✓ ' "$tmp/all")
[ "$n" -ge 26 ] && ! grep -q '✗ ' "$tmp/all"
check $? "every formula shows ✓ and none ✗ ($n checks)"
grep -q "^$n checks: $n passed" "$tmp/all"
check $? "the summary counts $n passed"
for t in "Linear algebra" "Calculus" "Probability and statistics" "Optimization" "Information theory"; do
    grep -q "== $t ==" "$tmp/all" || check 1 "topic '$t' is shown"
done
for f in "(AB)ᵢⱼ = Σₖ Aᵢₖ Bₖⱼ" "A A⁻¹ = A⁻¹ A = I" "(f ∘ g)′(x) = f′(g(x)) · g′(x)" "Var(X) = 𝔼[X²] - 𝔼[X]²"; do
    grep -qF "$f" "$tmp/all" || check 1 "the formula '$f' is shown in Unicode"
done
[ "$(widest "$tmp/all")" -le 80 ]
check $? "every line fits 80 columns (widest $(widest "$tmp/all"))"
seed=$(sed -n 's/.*(seed \([0-9]*\)).*/\1/p' "$tmp/all" | head -n 1)
[ -n "$seed" ]
check $? "the seed is printed"

"$lemma" ref --seed "$seed" > "$tmp/again" 2>&1
cmp -s "$tmp/all" "$tmp/again"
check $? "--seed $seed replays the same numbers"

"$lemma" ref --seed 12345 > "$tmp/fixed" 2>&1
check $? "lemma ref --seed 12345 exits 0"

"$lemma" ref linalg --seed 12345 > "$tmp/linalg" 2>&1
check $? "lemma ref linalg exits 0"
grep -q '== Linear algebra ==' "$tmp/linalg" && [ "$(grep -c '^== ' "$tmp/linalg")" = 1 ] &&
    ! grep -q 'Bayes' "$tmp/linalg"
check $? "lemma ref linalg shows only linear algebra"
grep -A4 '^Inverse' "$tmp/linalg" > "$tmp/inv1"
grep -A4 '^Inverse' "$tmp/fixed" > "$tmp/inv2"
cmp -s "$tmp/inv1" "$tmp/inv2"
check $? "one topic shows the same numbers as the full listing with the same seed"

"$lemma" ref nosuchtopic > "$tmp/unknown" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "no topic called 'nosuchtopic'" "$tmp/unknown" && grep -q 'linalg' "$tmp/unknown" &&
    grep -q 'information' "$tmp/unknown"
check $? "an unknown topic exits 2 with the list of topics"

"$lemma" ref --seed -3 > "$tmp/bad" 2>&1
[ $? = 2 ] && grep -q 'whole number' "$tmp/bad"
check $? "a bad seed is refused with a message"

exit $fail
