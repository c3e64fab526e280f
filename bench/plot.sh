#!/usr/bin/env bash
# Suite `plot`: the same figures drawn by lemma and by Matplotlib (Agg), 600x400 px.
# Whole runs, start-up included (what a learner waits for: a fresh process that
# computes the data and writes the file), by hyperfine without a shell (-N), then
# the drawing alone, timed inside each process (lemma: tic/toc around save;
# Python: time.perf_counter around plotting and savefig). Cases: a filled contour
# of a 200x200 grid (PNG and SVG), a line plot of sin (PNG), a 30-bin histogram of
# 10,000 normal draws (PNG). Needs $LEMMA, $PY, $BENCH_OUT (bench/run sets them).
set -eu

: "${LEMMA:?}" "${PY:?}" "${BENCH_OUT:?}"
here=$(cd "$(dirname "$0")" && pwd)
RUNS=${BENCH_RUNS:-20}
ROUNDS=${BENCH_ROUNDS:-2}
O=$BENCH_OUT

"$PY" -c 'import matplotlib; print("# matplotlib", matplotlib.__version__)'

contour="contour(sin(3*x)*cos(2*y) + x/3, [x, y], [-2, 2], [-2, 2], n = 200, filled = true, nlevels = 10)"
line="plot(sin(x), x, -pi, pi)"
hist="seed(42); hist(randn(10000, 1), 30)"

# check each program once (and keep the files for a look)
for c in "save($contour, \"$O/contour.png\")" "save($contour, \"$O/contour.svg\")" \
         "save($line, \"$O/line.png\")" "$hist; save(ans, \"$O/hist.png\")"; do
    if ! out=$("$LEMMA" eval "$c" 2>&1); then
        echo "plot: '$LEMMA eval $c' failed: $out" >&2
        exit 1
    fi
done
"$PY" "$here/plot_mpl.py" contourf "$O/mpl_contour.png"

hf() {
    local json=$1
    shift
    hyperfine -N --style basic --warmup 2 --runs "$(((RUNS + ROUNDS - 1) / ROUNDS))" --export-json "$json" "$@" \
        >>"$O/hyperfine.log" 2>&1 || { cat "$O/hyperfine.log" >&2; exit 1; }
}
for r in $(seq 1 "$ROUNDS"); do
    hf "$O/run-$r.json" \
        -n lemma_contour_png "$LEMMA eval 'save($contour, \"$O/c.png\")'" \
        -n mpl_contour_png "$PY $here/plot_mpl.py contourf $O/m.png" \
        -n lemma_contour_svg "$LEMMA eval 'save($contour, \"$O/c.svg\")'" \
        -n mpl_contour_svg "$PY $here/plot_mpl.py contourf $O/m.svg" \
        -n lemma_line_png "$LEMMA eval 'save($line, \"$O/l.png\")'" \
        -n mpl_line_png "$PY $here/plot_mpl.py line $O/ml.png" \
        -n lemma_hist_png "$LEMMA eval 'seed(42); save(hist(randn(10000, 1), 30), \"$O/h.png\")'" \
        -n mpl_hist_png "$PY $here/plot_mpl.py hist $O/mh.png"
done

declare -A med
while IFS=$'\t' read -r name m _; do med[$name]=$m; done < <("$PY" "$here/medians.py" "$O"/run-*.json)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b / a }'; }
echo "case, lemma, peer, ratio"
for c in contour_png contour_svg line_png hist_png; do
    echo "$c (whole run) vs matplotlib, ${med[lemma_$c]}, ${med[mpl_$c]}, $(ratio "${med[lemma_$c]}" "${med[mpl_$c]}")"
done

# drawing alone: the median of 11 in-process timings each (the first save in a
# lemma process also loads cairo, so it is done once untimed)
inproc_lemma() {
    local ext=$1 prog="c = $contour; save(c, \"$O/w.$1\");" i
    for i in $(seq 1 11); do prog="$prog t = tic; save(c, \"$O/t.$ext\"); printf(\"%g\\n\", 1000*toc(t));"; done
    "$LEMMA" eval "$prog" | sort -g | sed -n 6p
}
inproc_mpl() {
    local ext=$1 i
    for i in $(seq 1 11); do "$PY" "$here/plot_mpl.py" contourf "$O/t.$ext" --time; done | sort -g | sed -n 6p
}
lp=$(inproc_lemma png)
mp=$(inproc_mpl png)
ls=$(inproc_lemma svg)
ms=$(inproc_mpl svg)
echo "contour_png (drawing only) vs matplotlib, $lp, $mp, $(ratio "$lp" "$mp")"
echo "contour_svg (drawing only) vs matplotlib, $ls, $ms, $(ratio "$ls" "$ms")"

echo "# targets: 600x400 filled contour of a 200x200 grid under 50 ms (drawing only, PNG): $(awk -v a="$lp" 'BEGIN { print (a < 50 ? "met" : "MISSED") }')"
echo "# targets: at least 10x faster than matplotlib including start-up (contour PNG): $(awk -v a="${med[lemma_contour_png]}" -v b="${med[mpl_contour_png]}" 'BEGIN { print (b / a >= 10 ? "met" : "MISSED") }')"
echo "# file sizes, bytes: lemma contour.svg $(stat -c %s "$O/contour.svg"), contour.png $(stat -c %s "$O/contour.png"); matplotlib contour.png $(stat -c %s "$O/mpl_contour.png")"
