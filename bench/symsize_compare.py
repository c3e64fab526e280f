#!/usr/bin/env python3
"""Compares the sizes in the `symsize` suite. For each corpus line: lemma's
simplify(diff(e, x)) printed as text, and SymPy's (from symsize_sympy.py); both
texts are parsed again by lemma and counted with its exprsize() builtin (nodes
of the expression tree, each occurrence of a shared subtree counted). Prints
`case, lemma, peer, ratio` rows (node counts; ratio = peer / lemma, at least 1
means lemma's is no larger), then the fraction where lemma's is no larger and
the cases where it is larger. A SymPy timeout counts as SymPy's loss.
Usage: symsize_compare.py LEMMA CORPUS SYMPY_RESULTS"""
import json
import subprocess
import sys


def lemma_json(lemma, statements):
    """Runs the statements (one per line) in one lemma process; one JSON object each."""
    prog = "\n".join(statements) + "\n"
    out = subprocess.run([lemma, "eval", "--json", "--", prog], capture_output=True, text=True, check=False)
    rows = [json.loads(l) for l in out.stdout.splitlines() if l.strip()]
    if len(rows) != len(statements):
        sys.exit("symsize: expected %d results from lemma, got %d:\n%s" % (len(statements), len(rows), out.stderr))
    return rows


def main():
    lemma, corpus, sympy_path = sys.argv[1:4]
    cases = [l.strip() for l in open(corpus) if l.strip() and not l.startswith("#")]
    peer = {}
    for l in open(sympy_path):
        k, _, text = l.rstrip("\n").partition("\t")
        peer[int(k)] = text
    # lemma's results as text, then every text counted after parsing it again
    res = lemma_json(lemma, ["simplify(diff(%s, x))" % c for c in cases])
    texts = [r.get("text") if r.get("ok") else None for r in res]
    todo = []
    for i, c in enumerate(cases):
        todo.append("exprsize(%s)" % texts[i] if texts[i] else "0")
        p = peer.get(i + 1, "FAILED")
        todo.append("exprsize(%s)" % p if p not in ("TIMEOUT", "FAILED") else "0")
    counts = lemma_json(lemma, todo)
    wins, losses = 0, []
    print("case, lemma, peer, ratio")
    for i, c in enumerate(cases):
        a = counts[2 * i].get("value") if counts[2 * i].get("ok") else None
        b = counts[2 * i + 1].get("value") if counts[2 * i + 1].get("ok") else None
        p = peer.get(i + 1, "FAILED")
        if texts[i] is None or not a:
            losses.append((i + 1, c, "lemma failed: %s" % res[i].get("error", {}).get("message"), p))
            print("%d, -, %s, -" % (i + 1, b))
            continue
        if p in ("TIMEOUT", "FAILED") or not b:
            wins += 1
            print("%d, %d, %s, -" % (i + 1, a, p.lower()))
            continue
        print("%d, %d, %d, %.2f" % (i + 1, a, b, b / a))
        if a <= b:
            wins += 1
        else:
            losses.append((i + 1, c, "%s (%d nodes)" % (texts[i], a), "%s (%d nodes)" % (p, b)))
    n = len(cases)
    print("# lemma's simplify(diff(e, x)) is no larger than SymPy's in %d of %d cases: %.1f%% (target >= 90%%)" %
          (wins, n, 100.0 * wins / n))
    for k, c, mine, theirs in losses:
        print("# larger: %d: %s\n#   lemma: %s\n#   sympy: %s" % (k, c, mine, theirs))


if __name__ == "__main__":
    main()
