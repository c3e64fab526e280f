#!/usr/bin/env bash
# Suite `linalg`: dense linear algebra against NumPy on the same OpenBLAS. Matrix
# multiply at n = 256, 1024, 2048 (also as GFLOP/s and as a fraction of the
# machine's float64 peak), solve, symmetric eig and SVD at n = 500, the 3×3
# multiply, inverse and determinant in a loop of 100,000, and the peak memory of
# a 2048×2048 multiply. Each side times itself inside its process (lemma with
# t = tic ... toc(t), NumPy with time.perf_counter), so start-up is not counted.
# Needs $LEMMA, $PY, $BENCH_OUT (bench/run sets them).
set -eu

: "${LEMMA:?}" "${PY:?}" "${BENCH_OUT:?}"
here=$(cd "$(dirname "$0")" && pwd)
REPS=${BENCH_REPS:-7}      # runs per large case (5× that at n = 256); the median is reported
ROUNDS=${BENCH_ROUNDS:-3}  # turns each side takes; the best median of them is kept
N=${BENCH_SMALL_N:-100000}

# OpenBLAS reads these at load time; both sides get them as the environment has them.
for v in OPENBLAS_CORETYPE OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS OMP_NUM_THREADS; do
    printf '# %s=%s\n' "$v" "${!v-(unset)}"
done
printf '# lemma links %s\n' "$(ldd "$LEMMA" | sed -n 's/.*libopenblas[^ ]* => \([^ ]*\).*/\1/p' | head -n 1)"
printf '# numpy uses %s\n' "$("$PY" -c 'import numpy, re, os
m = [l for l in open("/proc/self/maps") if "openblas" in l or "libblas" in l]
print(sorted({os.path.realpath(l.split()[-1]) for l in m})[0] if m else "(no BLAS mapped)")')"

# ---- the float64 peak ----
# cores × clock × FLOPs per cycle. The clock is measured: a chain of dependent
# integer adds runs at one per cycle, so adds per second is the clock the core
# really runs at (under a hypervisor /proc/cpuinfo shows only the nominal one).
# FLOPs per cycle come from the flags: 2 (a fused multiply-add) × 2 FMA pipes ×
# the vector lanes: 8 doubles with avx512f, but 4 on AMD family 25 (Zen 3/4,
# whose 512-bit operations are split over 256-bit pipes), 4 with avx2.
cat >"$BENCH_OUT/clock.c" <<'C'
#include <stdio.h>
#include <time.h>
int main(void) {
    unsigned long x = 0;
    const long iters = 5000000;
    double best = 0;
    for (int rep = 0; rep < 5; rep++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        for (long i = 0; i < iters; i++) __asm__ volatile(".rept 100\n\tadd $1, %0\n\t.endr" : "+r"(x));
        clock_gettime(CLOCK_MONOTONIC, &b);
        double s = (double)(b.tv_sec - a.tv_sec) + 1e-9 * (double)(b.tv_nsec - a.tv_nsec);
        double ghz = 100.0 * (double)iters / s / 1e9;
        if (ghz > best) best = ghz;
    }
    printf("%.3f\n", best);
    return x == 0;
}
C
# Measured once a round below, the highest reading kept: another process on
# the same core makes the chain look slower, never faster.
ghz=""
have_clock=0
if cc -O1 -o "$BENCH_OUT/clock" "$BENCH_OUT/clock.c" 2>/dev/null; then have_clock=1; fi
measure_clock() {
    [ "$have_clock" = 1 ] || return 0
    local g
    g=$("$BENCH_OUT/clock")
    if [ -z "$ghz" ] || awk -v a="$g" -v b="$ghz" 'BEGIN { exit !(a > b) }'; then ghz=$g; fi
}
nominal=$(awk -F: '/^cpu MHz/ { printf "%.3f", $2 / 1000; exit }' /proc/cpuinfo)
flags=$(grep -m1 '^flags' /proc/cpuinfo)
vendor=$(awk -F': ' '/^vendor_id/ { print $2; exit }' /proc/cpuinfo)
family=$(awk -F': ' '/^cpu family/ { print $2; exit }' /proc/cpuinfo)
lanes=2
why="SSE2"
case " $flags " in
*" avx512f "*)
    if [ "$vendor" = AuthenticAMD ] && [ "$family" = 25 ]; then lanes=4; why="avx512f on AMD family 25 (256-bit pipes)"
    else lanes=8; why="avx512f"; fi ;;
*" avx2 "*) lanes=4; why="avx2" ;;
esac
fma=1
case " $flags " in *" fma "*) fma=2 ;; esac
cores=$(nproc)
flops_cycle=$((fma * 2 * lanes))

# ---- the lemma side ----
cat >"$BENCH_OUT/large.lm" <<LM
# the large cases: the median of R runs each, after one warm-up
seed(1);
R = $REPS;
# OpenBLAS's worker thread starts on the CPU of the main one, and Linux takes
# tens of milliseconds to move it: until then a 256×256 multiply runs at half
# speed. Both sides multiply for 0.2 s before the first timing.
A = rand(256); B = rand(256);
t = tic;
while toc(t) < 0.2
  C = A * B;
end
for n = [256 1024 2048]
  A = rand(n); B = rand(n);
  C = A * B;
  reps = R;
  if n == 256
    reps = 5 * R;
  end
  if n == 2048
    reps = max(3, floor(R / 2));
  end
  ts = zeros(1, reps);
  for r = 1:reps
    t = tic; C = A * B; ts(r) = toc(t);
  end
  ts = sort(ts);
  printf("dgemm%d %.9g\n", n, ts(floor(reps / 2) + 1));
end
A = rand(500); b = rand(500, 1); S = A + A';
# each case in its own loop after a warm-up call, as NumPy's side times them:
# interleaved, every solve would start with the caches an SVD left behind
m = floor(R / 2) + 1;
ts = zeros(1, R); x = A \ b;
for r = 1:R
  t = tic; x = A \ b; ts(r) = toc(t);
end
ts = sort(ts); printf("solve500 %.9g\n", ts(m));
ts = zeros(1, R); w = eig(S);
for r = 1:R
  t = tic; w = eig(S); ts(r) = toc(t);
end
ts = sort(ts); printf("eigvalsh500 %.9g\n", ts(m));
ts = zeros(1, R); [V, D] = eig(S);
for r = 1:R
  t = tic; [V, D] = eig(S); ts(r) = toc(t);
end
ts = sort(ts); printf("eigh500 %.9g\n", ts(m));
ts = zeros(1, R); s = svd(A);
for r = 1:R
  t = tic; s = svd(A); ts(r) = toc(t);
end
ts = sort(ts); printf("svdvals500 %.9g\n", ts(m));
ts = zeros(1, R); [U, S2, V2] = svd(A);
for r = 1:R
  t = tic; [U, S2, V2] = svd(A); ts(r) = toc(t);
end
ts = sort(ts); printf("svd500 %.9g\n", ts(m));
LM

cat >"$BENCH_OUT/small.lm" <<LM
# the 3×3 cases: N operations in a loop, the loop's own cost included (as in
# Python's); entries that are not whole numbers, so the floating-point path runs
seed(1);
A = rand(3) + eye(3); B = rand(3); N = $N;
C = A * B; t = tic; for k = 1:N, C = A * B; end; printf("mul3 %.9g\n", toc(t));
C = inv(A); t = tic; for k = 1:N, C = inv(A); end; printf("inv3 %.9g\n", toc(t));
d = det(A); t = tic; for k = 1:N, d = det(A); end; printf("det3 %.9g\n", toc(t));
LM

# The two sides take turns, ROUNDS times, and each keeps its best median: on a
# shared two-core machine a burst of other work can land on either side's run.
declare -A lem peer
keep() { # array key seconds: keep the smaller
    local -n arr=$1
    if [ -z "${arr[$2]-}" ] || awk -v a="$3" -v b="${arr[$2]}" 'BEGIN { exit !(a < b) }'; then arr[$2]=$3; fi
}
for round in $(seq "$ROUNDS"); do
    measure_clock
    while read -r k v; do keep lem "$k" "$v"; done < <("$LEMMA" run "$BENCH_OUT/large.lm")
    while read -r k v; do keep peer "$k" "$v"; done < <("$PY" "$here/linalg_numpy.py" large "$REPS")
    # tiny inputs: NumPy's BLAS on one thread, its fastest; lemma gets the same
    while read -r k v; do keep lem "$k" "$v"; done < <(OPENBLAS_NUM_THREADS=1 "$LEMMA" run "$BENCH_OUT/small.lm")
    while read -r k v; do keep peer "$k" "$v"; done < <(OPENBLAS_NUM_THREADS=1 "$PY" "$here/linalg_numpy.py" small "$N")
done

for k in dgemm256 dgemm1024 dgemm2048 solve500 eigvalsh500 eigh500 svdvals500 svd500 mul3 inv3 det3; do
    if [ -z "${lem[$k]-}" ] || [ -z "${peer[$k]-}" ]; then
        echo "linalg: no time for $k (lemma '${lem[$k]-}', numpy '${peer[$k]-}')" >&2
        exit 1
    fi
done

# ---- memory ----
cat >"$BENCH_OUT/rss.lm" <<'LM'
A = rand(2048); B = rand(2048); C = A * B;
LM
cat >"$BENCH_OUT/rss0.lm" <<'LM'
A = rand(2);
LM
rss_lemma=$("$PY" "$here/linalg_rss.py" "$LEMMA" run "$BENCH_OUT/rss.lm")
rss_lemma0=$("$PY" "$here/linalg_rss.py" "$LEMMA" run "$BENCH_OUT/rss0.lm")
rss_numpy=$("$PY" "$here/linalg_rss.py" "$PY" "$here/linalg_numpy.py" rss)

[ -n "$ghz" ] || ghz=$nominal
peak=$(awk -v c="$cores" -v g="$ghz" -v f="$flops_cycle" 'BEGIN { printf "%.1f", c * g * f }')
printf '# float64 peak ≈ %s GFLOP/s = %s cores × %s GHz (measured; cpuinfo says %s) × %s FLOP/cycle (%s, %s FMA)\n' \
    "$peak" "$cores" "$ghz" "$nominal" "$flops_cycle" "$why" "$([ $fma = 2 ] && echo with || echo without)"
printf '# best of %s rounds each, taken in turns; the large cases use every core, the 3×3 ones one thread\n' "$ROUNDS"

# ---- the table ----
ms() { awk -v s="$1" 'BEGIN { printf "%.3f", 1000 * s }'; }
row() { # label key: times in ms, ratio = numpy / lemma
    awk -v l="$1" -v a="${lem[$2]}" -v b="${peer[$2]}" 'BEGIN { printf "%s, %.3f, %.3f, %.2f\n", l, 1000 * a, 1000 * b, b / a }'
}
echo "case, lemma, peer, ratio"
row "dgemm 256×256 (ms)" dgemm256
row "dgemm 1024×1024 (ms)" dgemm1024
row "dgemm 2048×2048 (ms)" dgemm2048
row "solve 500×500, A x = b (ms)" solve500
row "eig symmetric 500×500, values (ms)" eigvalsh500
row "eig symmetric 500×500, [V, D] (ms)" eigh500
row "svd 500×500, values (ms)" svdvals500
row "svd 500×500, [U, S, V] (ms)" svd500
row "3×3 A*B, $N times (ms)" mul3
row "3×3 inv, $N times (ms)" inv3
row "3×3 det, $N times (ms)" det3
awk -v a="$rss_lemma" -v b="$rss_numpy" 'BEGIN { printf "max RSS of a 2048×2048 multiply (MiB), %.1f, %.1f, %.2f\n", a / 1024, b / 1024, b / a }'

echo
echo "# GFLOP/s (2n³ / median time) and the fraction of the ${peak} GFLOP/s peak"
for n in 256 1024 2048; do
    awk -v n="$n" -v a="${lem[dgemm$n]}" -v b="${peer[dgemm$n]}" -v p="$peak" 'BEGIN {
        f = 2 * n * n * n / 1e9
        printf "#   n = %4d: lemma %6.1f GFLOP/s (%3.0f%% of peak), numpy %6.1f GFLOP/s (%3.0f%%), lemma/numpy %.2f\n",
               n, f / a, 100 * f / a / p, f / b, 100 * f / b / p, b / a }'
done
echo "# 3×3, per operation (loop included; OPENBLAS_NUM_THREADS=1 on both sides)"
for k in mul3 inv3 det3; do
    awk -v k="$k" -v a="${lem[$k]}" -v b="${peer[$k]}" -v n="$N" 'BEGIN {
        printf "#   %s: lemma %.3f µs, numpy %.3f µs: lemma %.1f× faster\n", k, 1e6 * a / n, 1e6 * b / n, b / a }'
done
awk -v a="$rss_lemma" -v z="$rss_lemma0" 'BEGIN {
    m = 3 * 2048 * 2048 * 8 / 1048576
    printf "# memory: A, B and C are 3 × 32 MiB = %.0f MiB; lemma peaks at %.1f MiB, %.1f MiB when it only makes a 2×2\n", m, a / 1024, z / 1024
    printf "#   so the multiply adds %.1f MiB over lemma'"'"'s own footprint: the three matrices %+.1f MiB\n", (a - z) / 1024, (a - z) / 1024 - m }'

echo "# targets (issue 3)"
miss=0
target() { # text, value, threshold: value >= threshold
    if awk -v v="$2" -v t="$3" 'BEGIN { exit !(v >= t) }'; then echo "#   met:    $1"; else echo "#   MISSED: $1"; miss=1; fi
}
for k in dgemm256 dgemm1024 dgemm2048; do
    r=$(awk -v a="${lem[$k]}" -v b="${peer[$k]}" 'BEGIN { printf "%.2f", b / a }')
    target "$k at ≥ 0.9× NumPy's GFLOP/s ($r×)" "$r" 0.9
done
for k in solve500 eigh500 svdvals500; do
    r=$(awk -v a="${lem[$k]}" -v b="${peer[$k]}" 'BEGIN { printf "%.2f", b / a }')
    target "$k at ≥ 0.9× NumPy's speed ($r×)" "$r" 0.9
done
for k in mul3 inv3 det3; do
    r=$(awk -v a="${lem[$k]}" -v b="${peer[$k]}" 'BEGIN { printf "%.1f", b / a }')
    target "$k ≥ 5× faster per operation than NumPy ($r×)" "$r" 5
done
extra=$(awk -v a="$rss_lemma" -v z="$rss_lemma0" 'BEGIN { printf "%.1f", (a - z) / 1024 - 96 }')
target "2048² multiply peaks at the three matrices plus a few MiB (+$extra MiB)" "$(awk -v e="$extra" 'BEGIN { print 8 - e }')" 0
exit 0
