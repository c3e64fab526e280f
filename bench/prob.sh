#!/usr/bin/env bash
# Suite `prob`: distribution functions against SciPy. A scalar cdf / quantile
# call in a loop of N (lemma's interpreter loop against a Python loop over
# scipy.stats' frozen distribution, and over scipy.special's ufunc), and the
# vectorized call over 10^6 points (cdf, pdf, quantile of Normal(0, 1), cdf of
# StudentT(5)). Each side times itself inside its process (lemma with
# t = tic ... toc(t), Python with time.perf_counter), so start-up is not counted.
# Needs $LEMMA, $PY, $BENCH_OUT (bench/run sets them).
set -eu

: "${LEMMA:?}" "${PY:?}" "${BENCH_OUT:?}"
here=$(cd "$(dirname "$0")" && pwd)
N=${BENCH_SMALL_N:-100000}   # scalar calls per loop
NSTATS=$((N / 20))           # scipy.stats is slow per call: fewer, scaled up to N
REPS=${BENCH_REPS:-7}        # timings per case; the median is reported
ROUNDS=${BENCH_ROUNDS:-3}    # turns each side takes; the best median is kept

cat >"$BENCH_OUT/prob.lm" <<LM
# medians of R timings; the scalar loops include the loop's own cost, as Python's do
X = Normal(0, 1); T = StudentT(5); N = $N; R = $REPS; m = floor(R / 2) + 1;
x = linspace(-5, 5, 1000000); u = linspace(0.0001, 0.9999, 1000000);
ts = zeros(7, R);
for r = 1:R
  t = tic; for k = 1:N, p = cdf(X, 1.5); end; ts(1, r) = toc(t);
  t = tic; for k = 1:N, q = quantile(X, 0.975); end; ts(2, r) = toc(t);
  t = tic; for k = 1:N, p = cdf(T, 2.1); end; ts(3, r) = toc(t);
  t = tic; y = cdf(X, x); ts(4, r) = toc(t);
  t = tic; y = pdf(X, x); ts(5, r) = toc(t);
  t = tic; y = quantile(X, u); ts(6, r) = toc(t);
  t = tic; y = cdf(T, x); ts(7, r) = toc(t);
end
md = zeros(1, 7);
for i = 1:7
  s = sort(ts(i, :)); md(i) = s(m);
end
printf("cdf_scalar %.9g\nquantile_scalar %.9g\ntcdf_scalar %.9g\n", md(1), md(2), md(3));
printf("cdf_vec %.9g\npdf_vec %.9g\nquantile_vec %.9g\ntcdf_vec %.9g\n", md(4), md(5), md(6), md(7));
LM

declare -A lem peer
keep() { # array key seconds: keep the smaller
    local -n arr=$1
    if [ -z "${arr[$2]-}" ] || awk -v a="$3" -v b="${arr[$2]}" 'BEGIN { exit !(a < b) }'; then arr[$2]=$3; fi
}
for round in $(seq "$ROUNDS"); do
    while read -r k v; do keep lem "$k" "$v"; done < <("$LEMMA" run "$BENCH_OUT/prob.lm")
    while read -r k v; do keep peer "$k" "$v"; done < <("$PY" "$here/prob_scipy.py" "$N" "$NSTATS" "$REPS")
done
for k in cdf_scalar quantile_scalar tcdf_scalar cdf_vec pdf_vec quantile_vec tcdf_vec; do
    if [ -z "${lem[$k]-}" ]; then
        echo "prob: no lemma time for $k" >&2
        exit 1
    fi
done

printf '# scipy %s, numpy %s; best of %s rounds of %s-run medians each, taken in turns\n' \
    "$("$PY" -c 'import scipy; print(scipy.__version__)')" "$("$PY" -c 'import numpy; print(numpy.__version__)')" \
    "$ROUNDS" "$REPS"
echo "case, lemma, peer, ratio"
row() { # label lemma-key peer-key: times in ms, ratio = peer / lemma
    awk -v l="$1" -v a="${lem[$2]}" -v b="${peer[$3]}" 'BEGIN { printf "%s, %.3f, %.3f, %.2f\n", l, 1000 * a, 1000 * b, b / a }'
}
row "cdf(Normal) scalar ×$N vs scipy.stats norm.cdf (ms)" cdf_scalar cdf_scalar_stats
row "cdf(Normal) scalar ×$N vs scipy.special.ndtr (ms)" cdf_scalar cdf_scalar_special
row "quantile(Normal) scalar ×$N vs scipy.stats norm.ppf (ms)" quantile_scalar quantile_scalar_stats
row "quantile(Normal) scalar ×$N vs scipy.special.ndtri (ms)" quantile_scalar quantile_scalar_special
row "cdf(StudentT(5)) scalar ×$N vs scipy.stats t.cdf (ms)" tcdf_scalar tcdf_scalar_stats
row "cdf(StudentT(5)) scalar ×$N vs scipy.special.stdtr (ms)" tcdf_scalar tcdf_scalar_special
row "cdf(Normal), 10^6 points vs scipy.stats (ms)" cdf_vec cdf_vec_stats
row "cdf(Normal), 10^6 points vs scipy.special.ndtr (ms)" cdf_vec cdf_vec_special
row "pdf(Normal), 10^6 points vs scipy.stats (ms)" pdf_vec pdf_vec_stats
row "quantile(Normal), 10^6 points vs scipy.stats (ms)" quantile_vec quantile_vec_stats
row "quantile(Normal), 10^6 points vs scipy.special.ndtri (ms)" quantile_vec quantile_vec_special
row "cdf(StudentT(5)), 10^6 points vs scipy.stats (ms)" tcdf_vec tcdf_vec_stats
row "cdf(StudentT(5)), 10^6 points vs scipy.special.stdtr (ms)" tcdf_vec tcdf_vec_special

echo "# per call: lemma's loop costs what an empty statement does plus the call; Python's likewise"
for k in cdf_scalar quantile_scalar tcdf_scalar; do
    awk -v k="$k" -v a="${lem[$k]}" -v b="${peer[${k}_stats]}" -v c="${peer[${k}_special]}" -v n="$N" 'BEGIN {
        printf "#   %s: lemma %.3f µs, scipy.stats %.2f µs, scipy.special %.3f µs\n", k, 1e6 * a / n, 1e6 * b / n, 1e6 * c / n }'
done

echo "# targets (issue 5)"
target() { # text, value, threshold: value >= threshold
    if awk -v v="$2" -v t="$3" 'BEGIN { exit !(v >= t) }'; then echo "#   met:    $1"; else echo "#   MISSED: $1"; fi
}
for k in cdf_scalar quantile_scalar; do
    r=$(awk -v a="${lem[$k]}" -v b="${peer[${k}_stats]}" 'BEGIN { printf "%.1f", b / a }')
    target "$k ≥ 10× faster than a scalar scipy.stats call ($r×)" "$r" 10
done
for k in cdf_vec pdf_vec quantile_vec tcdf_vec; do
    r=$(awk -v a="${lem[$k]}" -v b="${peer[${k}_stats]}" 'BEGIN { printf "%.2f", b / a }')
    target "$k within 1.5× of scipy.stats over 10^6 points (scipy/lemma = $r)" "$r" 0.6667
done
exit 0
