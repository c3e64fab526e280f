#!/usr/bin/env bash
# Suite `startup`: how long until a first answer. `lemma eval 1+1` against the
# imports a Python learner pays before any math (numpy, sympy), then how much of
# lemma's start-up is the dynamic loader bringing in its shared libraries.
# Needs $LEMMA, $PY, $BENCH_OUT (bench/run sets them). Median wall time of 50 runs
# (500 for the native programs) after 3 warm-ups, by hyperfine without a shell (-N).
set -eu

: "${LEMMA:?}" "${PY:?}" "${BENCH_OUT:?}"
here=$(cd "$(dirname "$0")" && pwd)
RUNS=${BENCH_RUNS:-50}

# OpenBLAS reads these at load time; they are left as the environment has them.
for v in OPENBLAS_CORETYPE OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS OMP_NUM_THREADS; do
    printf '# %s=%s\n' "$v" "${!v-(unset)}"
done

if ! out=$("$LEMMA" eval '1+1' 2>&1); then
    echo "startup: '$LEMMA eval 1+1' failed: $out" >&2
    exit 1
fi
printf '# lemma eval 1+1 prints: %s\n' "$out"

# Two programs that do nothing: one with libc only, one linked (with
# --no-as-needed, so each is really loaded) against exactly the shared libraries
# lemma needs, read from its dynamic section.
cat >"$BENCH_OUT/noop.c" <<'C'
int main(void) { return 0; }
C
mapfile -t libs < <(readelf -d "$LEMMA" | sed -n 's/.*(NEEDED).*Shared library: \[\(.*\)\]/\1/p' |
    grep -v -E '^(libc\.so|ld-linux)')
libflags=()
for l in "${libs[@]}"; do libflags+=("-l:$l"); done
cc -O2 -o "$BENCH_OUT/noop" "$BENCH_OUT/noop.c"
cc -O2 -o "$BENCH_OUT/noop_libs" "$BENCH_OUT/noop.c" -Wl,--no-as-needed "${libflags[@]}"
printf '# lemma needs: %s\n' "${libs[*]}"
printf '# ... which load %s shared objects in all: %s\n' "$(ldd "$LEMMA" | grep -c '=>')" \
    "$(ldd "$LEMMA" | sed -n 's/^[[:space:]]*\([^ ]*\) => .*/\1/p' | tr '\n' ' ')"
# And one per library, to see which of them costs the time (OpenBLAS starts its
# thread pool and sizes its buffers in a constructor, before main).
per_lib=()
for l in "${libs[@]}"; do
    cc -O2 -o "$BENCH_OUT/noop_$l" "$BENCH_OUT/noop.c" -Wl,--no-as-needed "-l:$l"
    per_lib+=(-n "lib:$l" "$BENCH_OUT/noop_$l")
done

# The Python peers: $RUNS runs each. The few-millisecond C programs (lemma, the
# no-ops): 10 times as many, since one scheduling hiccup weighs more on them.
# The runs are split into $ROUNDS rounds, one after the other for every command,
# so that load from elsewhere on a shared machine falls on all of them alike;
# the median is taken over all the runs of a command.
ROUNDS=${BENCH_ROUNDS:-5}
hf() {
    local json=$1 runs=$2
    shift 2
    hyperfine -N --style basic --warmup 3 --runs "$runs" --export-json "$json" "$@" \
        >>"$BENCH_OUT/hyperfine.log" 2>&1 || { cat "$BENCH_OUT/hyperfine.log" >&2; exit 1; }
}
for r in $(seq 1 "$ROUNDS"); do
    hf "$BENCH_OUT/python-$r.json" $(((RUNS + ROUNDS - 1) / ROUNDS)) \
        -n numpy "$PY -c 'import numpy'" \
        -n sympy "$PY -c 'import sympy'" \
        -n python "$PY -c pass"
    hf "$BENCH_OUT/native-$r.json" $(((RUNS * 10 + ROUNDS - 1) / ROUNDS)) \
        -n lemma "$LEMMA eval 1+1" \
        -n noop "$BENCH_OUT/noop" \
        -n noop_libs "$BENCH_OUT/noop_libs" \
        "${per_lib[@]}"
done

declare -A med best
while IFS=$'\t' read -r name m lo _; do
    med[$name]=$m
    best[$name]=$lo
done < <("$PY" "$here/medians.py" "$BENCH_OUT"/python-*.json "$BENCH_OUT"/native-*.json)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b / a }'; }
echo "case, lemma, peer, ratio"
echo "lemma eval 1+1 vs python3 -c 'import numpy', ${med[lemma]}, ${med[numpy]}, $(ratio "${med[lemma]}" "${med[numpy]}")"
echo "lemma eval 1+1 vs python3 -c 'import sympy', ${med[lemma]}, ${med[sympy]}, $(ratio "${med[lemma]}" "${med[sympy]}")"
echo "lemma eval 1+1 vs python3 -c pass, ${med[lemma]}, ${med[python]}, $(ratio "${med[lemma]}" "${med[python]}")"

echo
echo "# start-up breakdown, ms: median (fastest run; on a busy machine the fastest runs agree better)"
awk -v n="${med[noop]}" -v l="${med[noop_libs]}" -v t="${med[lemma]}" \
    -v bn="${best[noop]}" -v bl="${best[noop_libs]}" -v bt="${best[lemma]}" 'BEGIN {
    printf "#   no-op C program, libc only:                  %6.2f (%.2f)\n", n, bn
    printf "#   no-op C program, lemma'"'"'s shared libraries:   %6.2f (%.2f)\n", l, bl
    printf "#   lemma eval 1+1:                              %6.2f (%.2f)\n", t, bt
    printf "#   loading the shared libraries:                %6.2f (%.2f) = %.0f%% (%.0f%%) of lemma'"'"'s start-up\n", \
        l - n, bl - bn, 100 * (l - n) / t, 100 * (bl - bn) / bt
    printf "#   lemma itself (session, parse, eval, print):  %6.2f (%.2f)\n", t - l, bt - bl
}'
echo "# one library at a time: no-op C program linked to it, ms: median (fastest), and over libc only"
for l in "${libs[@]}"; do
    awk -v n="${med[noop]}" -v m="${med[lib:$l]}" -v b="${best[lib:$l]}" -v bn="${best[noop]}" -v l="$l" \
        'BEGIN { printf "#   %-20s %6.2f (%.2f)  +%.2f (+%.2f)\n", l, m, b, m - n, b - bn }'
done
echo "# LD_DEBUG=statistics, lemma eval 1+1:"
LD_DEBUG=statistics "$LEMMA" eval '1+1' 2>&1 >/dev/null | sed -E 's/^[[:space:]]*[0-9]+:[[:space:]]*/#   /' | grep -v -E '^#[[:space:]]*$'
