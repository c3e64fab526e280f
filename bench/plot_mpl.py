#!/usr/bin/env python3
"""The Matplotlib side of bench/plot.sh: draws one of the suite's figures at
600x400 px (figsize 6x4 in at 100 dpi) with the Agg backend and saves it.
Usage: plot_mpl.py CASE OUT [--time]   CASE: contourf | line | hist
--time prints the milliseconds of drawing and saving alone (after the imports
and the data), the counterpart of lemma's tic/toc around save."""
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

case, out = sys.argv[1], sys.argv[2]
timed = "--time" in sys.argv[3:]

if case == "contourf":
    # the same function and grid as lemma's contour(..., n = 200, filled = true)
    g = np.linspace(-2, 2, 200)
    X, Y = np.meshgrid(g, g)
    Z = np.sin(3 * X) * np.cos(2 * Y) + X / 3
elif case == "line":
    x = np.linspace(-np.pi, np.pi, 801)
    y = np.sin(x)
elif case == "hist":
    v = np.random.default_rng(42).standard_normal(10000)
else:
    sys.exit("plot_mpl.py: unknown case " + case)

t0 = time.perf_counter()
fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
if case == "contourf":
    cs = ax.contourf(X, Y, Z, levels=10)
    fig.colorbar(cs)
elif case == "line":
    ax.plot(x, y)
    ax.grid(True)
else:
    ax.hist(v, bins=30)
ax.set_title(case)
fig.savefig(out)
plt.close(fig)
if timed:
    print("%.3f" % (1000 * (time.perf_counter() - t0)))
