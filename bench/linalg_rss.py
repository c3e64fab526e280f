#!/usr/bin/env python3
"""Runs a command and prints its peak resident memory (max RSS) in KiB, as the
kernel counts it for a waited-for child (getrusage RUSAGE_CHILDREN). Used by
bench/linalg.sh; run it once per command, since the figure is the maximum over
every child this process has waited for.

Usage: linalg_rss.py CMD [ARG...]"""
import resource
import subprocess
import sys

proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
if proc.returncode != 0:
    sys.exit("linalg_rss.py: %s exited with %d" % (sys.argv[1], proc.returncode))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
