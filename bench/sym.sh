#!/usr/bin/env bash
# Suite `sym`: symbolic calculus against SymPy on the shared corpus
# (../shared/bench/sym_corpus.txt, one expression a line): diff(f, x) alone and
# simplify(diff(f, x)) for every line, and the gradient and Hessian over all
# symbols of the multivariate lines (the last eight). Both sides time each call
# inside their own process from a cold cache: SymPy clears its cache before
# every call; lemma frees each result, and with it every node the call built
# (its hash-cons table holds nodes weakly). Times are the median over rounds of
# the mean time per call, in milliseconds. Target (issue 4): 50x per expression.
# Needs $LEMMA, $PY, $BENCH_OUT (bench/run sets them).
set -eu

: "${LEMMA:?}" "${PY:?}" "${BENCH_OUT:?}"
here=$(cd "$(dirname "$0")" && pwd)
CORPUS=${SYM_CORPUS:-$(cd "$here/../.." && pwd)/shared/bench/sym_corpus.txt}
ROUNDS=${BENCH_ROUNDS:-5}
MULTI=8 # the last eight corpus lines have several variables

if [ ! -f "$CORPUS" ]; then
    echo "sym: no corpus at $CORPUS (set SYM_CORPUS)" >&2
    exit 1
fi
n=$(grep -c . "$CORPUS")
multi_from=$((n - MULTI + 1))
printf '# corpus: %s (%d expressions; lines %d-%d multivariate)\n' "$CORPUS" "$n" "$multi_from" "$n"
printf '# sympy %s, %s\n' "$("$PY" -c 'import sympy; print(sympy.__version__)')" "$("$PY" --version 2>&1)"

"$PY" "$here/sym_lemma.py" "$CORPUS" "$multi_from" "$ROUNDS" >"$BENCH_OUT/sym_bench.lm"
"$LEMMA" run "$BENCH_OUT/sym_bench.lm" >"$BENCH_OUT/lemma.txt"
"$PY" "$here/sym_sympy.py" "$CORPUS" "$multi_from" "$ROUNDS" >"$BENCH_OUT/sympy.txt"

# case, lemma, peer, ratio; then the summary per kind
"$PY" - "$CORPUS" "$BENCH_OUT/lemma.txt" "$BENCH_OUT/sympy.txt" <<'PY'
import math
import sys

lines = [l.strip() for l in open(sys.argv[1]) if l.strip()]
lem, sym, capped = {}, {}, {}
loop = None
for l in open(sys.argv[2]):
    k, i, ms = l.split()
    if k == 'loop':
        loop = float(ms)
    else:
        lem[(k, int(i))] = float(ms)
for l in open(sys.argv[3]):
    k, i, ms, c = l.split()
    sym[(k, int(i))] = float(ms)
    capped[(k, int(i))] = c == '1'
names = {'diff': 'diff', 'diffsimp': 'diff+simplify', 'grad': 'grad', 'hessian': 'hessian'}
print('case, lemma, peer, ratio')
summary = {}
for k in names:
    for i, expr in enumerate(lines, 1):
        if (k, i) not in lem or (k, i) not in sym:
            continue
        a, b = lem[(k, i)], sym[(k, i)]
        r = b / a
        summary.setdefault(k, []).append((r, i, capped[(k, i)]))
        peer = ('>= %.4g (capped)' % b) if capped[(k, i)] else '%.4g' % b
        print('%s %02d %s, %.4g, %s, %.0f' % (names[k], i, expr.replace(',', ';'), a, peer, r))
print()
print('# per kind: cases, geometric-mean ratio, smallest ratio (line), cases at 50x or more; SymPy caps count as its loss')
for k, rs in summary.items():
    g = math.exp(sum(math.log(r) for r, _, _ in rs) / len(rs))
    lo = min(rs)
    print('#   %-14s %2d  geomean %7.0fx  min %6.0fx (line %d)  >= 50x: %d of %d%s' %
          (names[k], len(rs), g, lo[0], lo[1], sum(r >= 50 for r, _, _ in rs), len(rs),
           ('  (%d SymPy calls capped at 20 s)' % sum(c for _, _, c in rs)) if any(c for _, _, c in rs) else ''))
if loop is not None:
    print('# lemma times include its interpreter loop: %.4g ms per `d = ...; d = 0` round trip' % loop)
PY
