#!/usr/bin/env python3
"""Reads hyperfine --export-json files and prints one line per command name,
pooling the runs of every file (a suite may time in rounds):
name<TAB>median ms<TAB>min ms<TAB>max ms<TAB>runs. Used by the bench suites."""
import json
import statistics
import sys

times = {}
for path in sys.argv[1:]:
    with open(path) as f:
        for r in json.load(f)["results"]:
            times.setdefault(r["command"], []).extend(r["times"])
for name, t in times.items():
    print("%s\t%.2f\t%.2f\t%.2f\t%d" % (name, 1000 * statistics.median(t), 1000 * min(t),
                                       1000 * max(t), len(t)))
