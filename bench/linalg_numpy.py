#!/usr/bin/env python3
"""The NumPy side of bench/linalg.sh: the same cases as the lemma program the
suite writes, timed inside this process (start-up and imports excluded), on the
same OpenBLAS. Prints one `key seconds` line per case: the median of REPS runs
for the large cases, the total of N calls for the 3×3 cases.

Usage: linalg_numpy.py large REPS      dgemm 256/1024/2048 (5·REPS runs at 256, REPS/2 at
                                       2048), solve, eig, svd at 500
       linalg_numpy.py small N         3×3 multiply, inv, det, N calls each
       linalg_numpy.py rss             a 2048×2048 multiply, for max RSS"""
import sys
import time

import numpy as np


def median_time(fn, reps):
    fn()  # warm-up: OpenBLAS starts its threads and sizes its buffers
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2]


def large(reps):
    rng = np.random.default_rng(1)
    # as on lemma's side: 0.2 s of multiplies, for Linux to move OpenBLAS's
    # worker thread off the main thread's CPU before anything is timed
    a = rng.random((256, 256))
    t = time.perf_counter()
    while time.perf_counter() - t < 0.2:
        a @ a
    for n in (256, 1024, 2048):
        a = rng.random((n, n))
        b = rng.random((n, n))
        r = 5 * reps if n == 256 else reps if n < 2048 else max(3, reps // 2)
        print("dgemm%d %.9g" % (n, median_time(lambda: a @ b, r)))
    n = 500
    a = rng.random((n, n))
    b = rng.random((n, 1))
    s = a + a.T
    print("solve500 %.9g" % median_time(lambda: np.linalg.solve(a, b), reps))
    print("eigvalsh500 %.9g" % median_time(lambda: np.linalg.eigvalsh(s), reps))
    print("eigh500 %.9g" % median_time(lambda: np.linalg.eigh(s), reps))
    print("svdvals500 %.9g" % median_time(lambda: np.linalg.svd(a, compute_uv=False), reps))
    print("svd500 %.9g" % median_time(lambda: np.linalg.svd(a), reps))


def small(n):
    # the same kind of input as lemma's: not whole numbers, so nothing exact
    rng = np.random.default_rng(1)
    a = rng.random((3, 3)) + np.eye(3)
    b = rng.random((3, 3))
    inv, det = np.linalg.inv, np.linalg.det
    for name, body in (("mul3", lambda: a @ b), ("inv3", lambda: inv(a)), ("det3", lambda: det(a))):
        body()
        t = time.perf_counter()
        # the loops are written out so that no lambda call is timed
        if name == "mul3":
            for _ in range(n):
                a @ b
        elif name == "inv3":
            for _ in range(n):
                inv(a)
        else:
            for _ in range(n):
                det(a)
        print("%s %.9g" % (name, time.perf_counter() - t))


def rss():
    rng = np.random.default_rng(1)
    a = rng.random((2048, 2048))
    b = rng.random((2048, 2048))
    c = a @ b
    print(c[0, 0] > 0)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "large":
        large(int(sys.argv[2]))
    elif mode == "small":
        small(int(sys.argv[2]))
    elif mode == "rss":
        rss()
    else:
        sys.exit("linalg_numpy.py: unknown mode %r" % mode)
