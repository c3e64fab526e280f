#!/usr/bin/env bash
# Suite `symsize`: how small lemma's simplify(diff(e, x)) is next to SymPy's, on
# the shared corpus (../shared/bench/sym_corpus.txt, one expression a line).
# Both results are printed as text, parsed again by lemma and counted with its
# exprsize() builtin (nodes of the expression tree). Each SymPy case runs in its
# own process, capped at $SYMSIZE_CAP seconds (20); a capped case is SymPy's
# loss. Rows: `case, lemma, peer, ratio` with node counts, ratio = peer / lemma
# (at least 1: lemma's is no larger); then the fraction where lemma's is no
# larger (target >= 90%) and the cases where it is larger.
# Needs $LEMMA, $PY, $BENCH_OUT (bench/run sets them).
set -eu

: "${LEMMA:?}" "${PY:?}" "${BENCH_OUT:?}"
here=$(cd "$(dirname "$0")" && pwd)
corpus=${SYMSIZE_CORPUS:-$here/../../shared/bench/sym_corpus.txt}
[ -f "$corpus" ] || corpus=$here/../shared/bench/sym_corpus.txt
if [ ! -f "$corpus" ]; then
    echo "symsize: no corpus at $corpus (set SYMSIZE_CORPUS)" >&2
    exit 1
fi
cap=${SYMSIZE_CAP:-20}

printf '# corpus: %s (%s expressions); SymPy %s, each case capped at %ss\n' "$corpus" \
    "$(grep -c -v -e '^$' -e '^#' "$corpus")" "$("$PY" -c 'import sympy; print(sympy.__version__)')" "$cap"
"$PY" "$here/symsize_sympy.py" "$corpus" "$cap" >"$BENCH_OUT/sympy.tsv"
"$PY" "$here/symsize_compare.py" "$LEMMA" "$corpus" "$BENCH_OUT/sympy.tsv" | tee "$BENCH_OUT/symsize.csv"
