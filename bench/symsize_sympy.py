#!/usr/bin/env python3
"""SymPy's side of the `symsize` suite: for each line of the corpus (lemma
syntax, one expression a line), print simplify(diff(e, x)) in lemma syntax, one
result a line, tab-separated after the line number:  N<TAB>text  or
N<TAB>TIMEOUT when SymPy's simplify did not finish within the cap (each case
runs in its own process, killed at the cap). Usage:
    symsize_sympy.py CORPUS [CAP_SECONDS=20]"""
import multiprocessing as mp
import re
import sys


def lemma_text(expr):
    """SymPy's str() in lemma's syntax: ** is ^, E is e, I is i."""
    import sympy
    s = sympy.sstr(expr, order=None)
    s = s.replace("**", "^")
    s = re.sub(r"\bE\b", "e", s)
    s = re.sub(r"\bI\b", "i", s)
    return s


def work(line, q):
    import sympy
    from sympy.parsing.sympy_parser import (convert_xor, parse_expr,
                                            standard_transformations)
    x = sympy.Symbol("x")
    local = {"e": sympy.E, "sigmoid": lambda u: 1 / (1 + sympy.exp(-u))}
    e = parse_expr(line, transformations=standard_transformations + (convert_xor,), local_dict=local)
    q.put(lemma_text(sympy.simplify(sympy.diff(e, x))))


def main():
    corpus = sys.argv[1]
    cap = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0
    lines = [l.strip() for l in open(corpus)]
    ctx = mp.get_context("fork")
    n = 0
    for line in lines:
        if not line or line.startswith("#"):
            continue
        n += 1
        q = ctx.Queue()
        p = ctx.Process(target=work, args=(line, q))
        p.start()
        p.join(cap)
        if p.is_alive():
            p.kill()
            p.join()
            print("%d\tTIMEOUT" % n, flush=True)
            continue
        try:
            print("%d\t%s" % (n, q.get(timeout=5)), flush=True)
        except Exception:
            print("%d\tFAILED" % n, flush=True)


if __name__ == "__main__":
    main()
