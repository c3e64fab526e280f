#!/usr/bin/env python3
"""The SymPy side of suite `sym` (bench/sym.sh): for each corpus line, diff(f,
x), simplify(diff(f, x)), and for the multivariate lines the gradient (a diff
per symbol) and sympy.hessian over all of f's symbols in name order. Every call
starts from a cold cache (sympy.core.cache.clear_cache() before it, outside the
timed part), and is timed inside the process with time.perf_counter. A case is
run in ROUNDS rounds of n calls (n sized by a first call so a round lasts about
ROUND_S) and the median round's time per call is printed in milliseconds as
`kind index ms capped`. simplify is capped at CAP_S seconds per call (the
issue's 20 s: SymPy's simplify does not finish the network line in minutes);
a capped case prints the cap and capped = 1, and counts as SymPy's loss.
Usage: sym_sympy.py CORPUS MULTI_FROM [ROUNDS] [ROUND_S] [CAP_S]"""
import signal
import statistics
import sys
import time

import sympy as sp
from sympy.core.cache import clear_cache
from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

corpus, multi_from = sys.argv[1], int(sys.argv[2])
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
round_s = float(sys.argv[4]) if len(sys.argv) > 4 else 0.02
cap_s = int(sys.argv[5]) if len(sys.argv) > 5 else 20
lines = [l.strip() for l in open(corpus) if l.strip()]
x = sp.Symbol('x')


class Capped(Exception):
    pass


def on_alarm(signum, frame):
    raise Capped()


signal.signal(signal.SIGALRM, on_alarm)


def one(fn):
    """Seconds for one cold call."""
    clear_cache()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def timed(kind, i, fn, cap=False):
    try:
        if cap:
            signal.alarm(cap_s)
        t1 = one(fn)
        if cap:
            signal.alarm(0)
    except Capped:
        print('%s %d %.6g 1' % (kind, i, 1000.0 * cap_s), flush=True)
        return
    n = max(1, min(100000, int(round_s / max(t1, 1e-7)) + 1))
    # a slow case (seconds per call) gets fewer rounds so the suite ends in minutes
    r = rounds if t1 < 1.0 else 1
    per = []
    for _ in range(r):
        tot = 0.0
        for _ in range(n):
            tot += one(fn)
        per.append(tot / n)
    print('%s %d %.6g 0' % (kind, i, 1000.0 * statistics.median(per)), flush=True)


for i, line in enumerate(lines, 1):
    f = parse_expr(line, transformations=standard_transformations + (convert_xor,))
    timed('diff', i, lambda: sp.diff(f, x))
    timed('diffsimp', i, lambda: sp.simplify(sp.diff(f, x)), cap=True)
    if i >= multi_from:
        vs = sorted(f.free_symbols, key=lambda s: s.name)
        timed('grad', i, lambda: [sp.diff(f, v) for v in vs])
        timed('hessian', i, lambda: sp.hessian(f, vs))
