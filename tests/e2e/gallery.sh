#!/bin/sh
# `lemma gallery DIR` writes every concept picture as SVG and PNG: each SVG is a
# closed <svg> element with a <title>, each PNG a real PNG of 600×400 pixels
# (its IHDR chunk, read here with od, holds the width and height).
set -u
lemma=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
check() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fail=1; fi; }

"$lemma" gallery "$dir" >/dev/null 2>&1
check $? "lemma gallery exits 0"
for name in function integral matrix descent distribution pmf markov bayesnet loss loglog; do
    [ -s "$dir/$name.svg" ] && [ -s "$dir/$name.png" ]
    check $? "$name: both files written"
    grep -q '<title>' "$dir/$name.svg" && tail -c 16 "$dir/$name.svg" | grep -q '</svg>'
    check $? "$name.svg has a title and is closed"
    magic=$(od -An -tx1 -N8 "$dir/$name.png" | tr -d ' \n')
    [ "$magic" = "89504e470d0a1a0a" ]
    check $? "$name.png starts with the PNG signature"
    # bytes 16..23: width and height, big-endian (600 = 0x258, 400 = 0x190)
    size=$(od -An -tx1 -j16 -N8 "$dir/$name.png" | tr -d ' \n')
    [ "$size" = "0000025800000190" ]
    check $? "$name.png is 600×400"
done
"$lemma" gallery >/dev/null 2>&1
[ $? = 2 ]
check $? "lemma gallery without a folder is a usage error (exit 2)"
exit $fail
