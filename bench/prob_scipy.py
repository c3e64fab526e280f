#!/usr/bin/env python3
"""The SciPy side of bench/prob.sh: scalar calls in a Python loop (scipy.stats and
scipy.special's ufuncs) and vectorized calls over 10^6 points. Prints `key seconds`
lines: the median of `reps` timings (a scalar case times its whole loop of n calls).
Usage: prob_scipy.py N_SCALAR N_STATS REPS"""
import statistics
import sys
import time

import numpy as np
import scipy.special as sp
import scipy.stats as st

n_scalar, n_stats, reps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])


def med(fn):
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def loop(f, arg, n):
    def run():
        for _ in range(n):
            f(arg)
    return run


norm, t5 = st.norm(0, 1), st.t(5)
# scipy.stats is ~100x slower per call: it runs n_stats calls, scaled to n_scalar
scale = n_scalar / n_stats
out = {
    "cdf_scalar_stats": med(loop(norm.cdf, 1.5, n_stats)) * scale,
    "quantile_scalar_stats": med(loop(norm.ppf, 0.975, n_stats)) * scale,
    "tcdf_scalar_stats": med(loop(t5.cdf, 2.1, n_stats)) * scale,
    "cdf_scalar_special": med(loop(sp.ndtr, 1.5, n_scalar)),
    "quantile_scalar_special": med(loop(sp.ndtri, 0.975, n_scalar)),
    "tcdf_scalar_special": med(lambda: [sp.stdtr(5, 2.1) for _ in range(n_scalar)]),
}
x = np.linspace(-5, 5, 1000000)
u = np.linspace(0.0001, 0.9999, 1000000)
out["cdf_vec_stats"] = med(lambda: st.norm.cdf(x))
out["cdf_vec_special"] = med(lambda: sp.ndtr(x))
out["pdf_vec_stats"] = med(lambda: st.norm.pdf(x))
out["quantile_vec_stats"] = med(lambda: st.norm.ppf(u))
out["quantile_vec_special"] = med(lambda: sp.ndtri(u))
out["tcdf_vec_stats"] = med(lambda: st.t.cdf(x, 5))
out["tcdf_vec_special"] = med(lambda: sp.stdtr(5, x))
for k, v in out.items():
    print(k, "%.9g" % v)
