#!/usr/bin/env python3
"""SymPy baseline for benches/derive.rs: time to derive (and expand) the Euler–Lagrange
equations of the nonlinear chain L = sum x_i'^2/2 - (1 - cos x_i) - sum (d^2/2 + 0.25*0.5*d^4),
d = x_{i+1} - x_i.   Usage: python3 benches/sympy_chain.py 8 64
"""

import sys
import time

import sympy as sp
from sympy.calculus.euler import euler_equations


def derive(n):
    t = sp.Symbol("t")
    xs = [sp.Function(f"x{i}")(t) for i in range(1, n + 1)]
    L = sum(sp.diff(x, t) ** 2 / 2 - (1 - sp.cos(x)) for x in xs)
    for a, b in zip(xs, xs[1:]):
        d = b - a
        L -= d ** 2 / 2 + sp.Rational(1, 4) * sp.Rational(1, 2) * d ** 4
    start = time.perf_counter()
    eqs = [sp.expand(e.lhs) for e in euler_equations(L, xs, t)]
    return time.perf_counter() - start, len(eqs)


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["8", "64"]:
        secs, m = derive(int(arg))
        print(f"SymPy {sp.__version__}: N = {arg}: {m} equations in {secs:.3f} s")
