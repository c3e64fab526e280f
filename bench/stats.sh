#!/usr/bin/env bash
# Suite `stats`: a two-sample t-test on 1000 + 1000 values against SciPy's
# scipy.stats.ttest_ind, Welch's (lemma's default, SciPy's equal_var=False) and
# the pooled one (equal_var = true, SciPy's default), called N times in a loop.
# lemma also computes the confidence interval, which SciPy leaves for later.
# Each side times itself inside its process (lemma with t = tic ... toc(t),
# Python with time.perf_counter), so start-up is not counted.
# Needs $LEMMA, $PY, $BENCH_OUT (bench/run sets them).
set -eu

: "${LEMMA:?}" "${PY:?}" "${BENCH_OUT:?}"
N=${BENCH_TTEST_N:-2000}     # calls per timing
REPS=${BENCH_REPS:-7}        # timings per case; the median is reported
ROUNDS=${BENCH_ROUNDS:-3}    # turns each side takes; the best median is kept

cat >"$BENCH_OUT/stats.lm" <<LM
seed(1); a = randn(1000, 1); b = 0.1 + randn(1000, 1); N = $N; R = $REPS; m = floor(R / 2) + 1;
ts = zeros(2, R);
for r = 1:R
  t = tic; for k = 1:N, h = ttest(a, b); end; ts(1, r) = toc(t);
  t = tic; for k = 1:N, h = ttest(a, b, equal_var = true); end; ts(2, r) = toc(t);
end
md = zeros(1, 2);
for i = 1:2
  s = sort(ts(i, :)); md(i) = s(m);
end
printf("welch %.9g\npooled %.9g\n", md(1), md(2));
LM

cat >"$BENCH_OUT/stats_scipy.py" <<'PY'
import statistics, sys, time
import numpy as np
import scipy.stats as st
n, reps = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(1)
a, b = rng.standard_normal(1000), 0.1 + rng.standard_normal(1000)
def med(fn):
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)
print("welch %.9g" % med(lambda: st.ttest_ind(a, b, equal_var=False)))
print("pooled %.9g" % med(lambda: st.ttest_ind(a, b)))
PY

declare -A lem peer
keep() { # array key seconds: keep the smaller
    local -n arr=$1
    if [ -z "${arr[$2]-}" ] || awk -v a="$3" -v b="${arr[$2]}" 'BEGIN { exit !(a < b) }'; then arr[$2]=$3; fi
}
for round in $(seq "$ROUNDS"); do
    while read -r k v; do keep lem "$k" "$v"; done < <("$LEMMA" run "$BENCH_OUT/stats.lm")
    while read -r k v; do keep peer "$k" "$v"; done < <("$PY" "$BENCH_OUT/stats_scipy.py" "$N" "$REPS")
done
for k in welch pooled; do
    if [ -z "${lem[$k]-}" ] || [ -z "${peer[$k]-}" ]; then
        echo "stats: no time for $k" >&2
        exit 1
    fi
done

printf '# scipy %s; best of %s rounds of %s-run medians, each timing %s calls\n' \
    "$("$PY" -c 'import scipy; print(scipy.__version__)')" "$ROUNDS" "$REPS" "$N"
echo "case, lemma, peer, ratio"
row() { # label key: times in µs per call, ratio = peer / lemma
    awk -v l="$1" -v a="${lem[$2]}" -v b="${peer[$2]}" -v n="$N" 'BEGIN { printf "%s, %.2f, %.2f, %.1f\n", l, 1e6 * a / n, 1e6 * b / n, b / a }'
}
row "ttest(a, b) Welch, 1000 + 1000 values vs ttest_ind(equal_var=False) (µs per call)" welch
row "ttest(a, b, equal_var = true), 1000 + 1000 values vs ttest_ind (µs per call)" pooled

echo "# targets (issue 5)"
for k in welch pooled; do
    r=$(awk -v a="${lem[$k]}" -v b="${peer[$k]}" 'BEGIN { printf "%.1f", b / a }')
    if awk -v v="$r" 'BEGIN { exit !(v >= 10) }'; then echo "#   met:    $k t-test ≥ 10× faster than scipy.stats.ttest_ind (${r}×)"
    else echo "#   MISSED: $k t-test ≥ 10× faster than scipy.stats.ttest_ind (${r}×)"; fi
done
exit 0
