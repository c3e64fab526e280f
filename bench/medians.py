#!/usr/bin/env python3
"""Reads a hyperfine --export-json file and prints one line per command:
name<TAB>median ms<TAB>min ms<TAB>max ms<TAB>runs. Used by the bench suites."""
import json
import sys

with open(sys.argv[1]) as f:
    results = json.load(f)["results"]
for r in results:
    print("%s\t%.2f\t%.2f\t%.2f\t%d" % (r["command"], 1000 * r["median"], 1000 * r["min"],
                                       1000 * r["max"], len(r["times"])))
