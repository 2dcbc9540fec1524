#!/usr/bin/env python3
"""Golden Euler–Lagrange residuals, computed independently with SymPy.

For every Lagrangian below (written in ska-verify's expression language) this script
translates the text to SymPy, derives the Euler–Lagrange equations with
`sympy.calculus.euler.euler_equations`, substitutes a fixed trajectory and evaluates the
residual r_i = d/dt dL/dq_i' - dL/dq_i (the negative of SymPy's left-hand side) at fixed
times with 30 significant digits. Number literals are read as exact rationals, as
ska-verify reads them.

Run from the repository root:  python3 tests/golden/generate_el.py > tests/golden/el_golden.json
"""

import json
import re

import sympy as sp
from sympy.calculus.euler import euler_equations
from sympy.parsing.sympy_parser import parse_expr, rationalize, standard_transformations

T = sp.Symbol("t")
U = sp.Symbol("u")
FUNCS = {
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "asin": sp.asin, "acos": sp.acos,
    "atan": sp.atan, "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "exp": sp.exp,
    "ln": sp.log, "sqrt": sp.sqrt,
    "sigma": sp.Lambda(U, 1 / (1 + sp.exp(-U))),
    "softplus": sp.Lambda(U, sp.log(1 + sp.exp(U))),
    "pi": sp.pi, "e": sp.E, "t": T,
}

TIMES = [0.0, 0.37, 1.1, 2.5]

# (name, coordinates, Lagrangian, trajectory)
CASES = [
    ("oscillator", ["x"], "x'^2/2 - x^2/2", "x = sin(t) + 0.3*t"),
    ("pendulum", ["x"], "x'^2/2 - (1 - cos(x))", "x = 0.5*cos(1.3*t) + 0.1*t^2"),
    ("ska", ["z"], "-z*sigma(z)*(1-sigma(z))*z'", "z = sin(t) + 0.5"),
    ("softplus_sigma", ["x"], "softplus(x)*x'^2 - sigma(x)", "x = 0.7*sin(2*t) - 0.2"),
    ("tan", ["x"], "tan(x)*x'^2/2 - x^3/3", "x = 0.3*sin(t)"),
    ("asin_acos", ["x"], "asin(x)*x'^2 + acos(x)*x", "x = 0.5*sin(t)"),
    ("atan", ["x"], "atan(x'*x) + x^2", "x = cos(t) + t/3"),
    ("sinh_cosh", ["x"], "sinh(x)*x'^2 - cosh(x)", "x = 0.4*t - 0.1*t^2"),
    ("tanh", ["x"], "tanh(x')*x - x^4/4", "x = sin(1.7*t)"),
    ("exp", ["x"], "exp(-x)*x'^2/2 - exp(x)", "x = 0.5*sin(t)"),
    ("ln", ["x"], "ln(x)*x'^2 + ln(1+x^2)", "x = 2 + sin(t)"),
    ("sqrt", ["x"], "sqrt(1 + x'^2) - sqrt(x)", "x = 1.5 + 0.5*cos(t)"),
    ("coupled_oscillators", ["x", "y"], "x'^2/2 + y'^2/2 - (x^2 + y^2)/2 - x*y/4",
     "x = sin(t); y = cos(2*t)"),
    ("double_pendulum", ["x", "y"], "x'^2 + y'^2/2 + x'*y'*cos(x - y) + 2*cos(x) + cos(y)",
     "x = 0.3*sin(t); y = 0.2*cos(1.5*t)"),
    ("magnetic", ["x", "y"], "(x'^2 + y'^2)/2 + (x*y' - y*x')/2 - (x^2 + y^2)/2",
     "x = cos(t) + 0.1*t; y = sin(t)"),
    ("kepler", ["r", "th"], "(r'^2 + r^2*th'^2)/2 + 1/r", "r = 1 + 0.2*cos(t); th = t + 0.1*sin(t)"),
    ("sigma_coupling", ["x", "y"], "sigma(x*y)*x'*y' + softplus(x - y)*x'^2",
     "x = 0.5*sin(t); y = 0.3*t"),
    ("damped_time_dependent", ["x"], "exp(0.1*t)*(x'^2 - x^2)/2", "x = sin(t)"),
    ("explicit_time", ["x"], "t*x'^2 + sin(t)*x*x'", "x = t^2/2 + cos(t)"),
    ("chain3", ["x", "y", "z"],
     "x'^2/2 + y'^2/2 + z'^2/2 - (y - x)^4/4 - (z - y)^2/2 - (1 - cos(x))",
     "x = sin(t); y = 0.5*cos(t); z = t/4"),
    ("cubic_velocity", ["x"], "x'^3/3 + x'*x^2", "x = sin(t)"),
    ("squared", ["x"], "(x'^2 - x^2)^2", "x = 0.5*sin(2*t) + 0.1"),
    ("constants", ["x"], "e^x*x'^2 + pi*x", "x = 0.2*t + 0.1"),
    ("rational_powers", ["x"], "x^(3/2)*x'^2 - x^(1/3)", "x = 1 + 0.5*sin(t)"),
    ("exp_ln_coupling", ["x", "y"], "exp(x)*y' + ln(2 + sin(y))*x'^2", "x = 0.3*t; y = cos(t)"),
    ("variable_exponent", ["x"], "2^x*x'^2", "x = sin(t)"),
    ("rational_function", ["x"], "x'^2/(1 + x^2) - 1e-3*x", "x = cos(t)"),
]


def random_lagrangians(count, seed=20261204):
    """Seeded random two-coordinate Lagrangians: x'^2/2 + y'^2/2 + a random expression in
    x, y, x', y', t over every function, each wrapped so that it stays in its real domain."""
    import random

    rng = random.Random(seed)
    wraps = [
        "sin({})", "cos({})", "tan(({})/4)", "asin(tanh({})/2)", "acos(tanh({})/2)",
        "atan({})", "sinh(({})/2)", "cosh(({})/2)", "tanh({})", "exp(({})/3)",
        "ln(2 + ({})^2)", "sqrt(1 + ({})^2)", "sigma({})", "softplus({})",
    ]
    leaves = ["x", "y", "x'", "y'", "t", "1/2", "3", "2"]

    def gen(depth):
        if depth == 0 or (depth < 3 and rng.random() < 0.15):
            return rng.choice(leaves)
        k = rng.random()
        if k < 0.45:
            return rng.choice(wraps).format(gen(depth - 1))
        op = rng.choice(["+", "-", "*"])
        return f"({gen(depth - 1)} {op} {gen(depth - 1)})"

    out = []
    for i in range(count):
        expr = f"{gen(3)}*{gen(2)}"
        out.append((f"random_{i}", ["x", "y"], f"x'^2/2 + y'^2/2 + {expr}",
                    "x = 0.4*sin(t) + 0.1; y = 0.3*cos(1.3*t) - 0.2*t"))
    return out


CASES += random_lagrangians(16)


def to_sympy(src, coords):
    """Our syntax -> a SymPy expression in coordinates q, velocities q__d."""
    s = re.sub(r"([A-Za-z_][A-Za-z0-9_]*)''", r"\1__dd", src)
    s = re.sub(r"([A-Za-z_][A-Za-z0-9_]*)'", r"\1__d", s)
    s = s.replace("^", "**")
    local = dict(FUNCS)
    for c in coords:
        local[c] = sp.Symbol(c)
        local[c + "__d"] = sp.Symbol(c + "__d")
    return parse_expr(s, local_dict=local,
                      transformations=standard_transformations + (rationalize,))


def main():
    out = []
    for name, coords, lag, traj in CASES:
        L = to_sympy(lag, coords)
        funcs = [sp.Function(c.upper() + "_")(T) for c in coords]
        subs = {}
        for c, f in zip(coords, funcs):
            subs[sp.Symbol(c + "__d")] = sp.diff(f, T)
            subs[sp.Symbol(c)] = f
        Lt = L.subs(subs, simultaneous=True)
        eqs = euler_equations(Lt, funcs, T)
        residual_exprs = [-eq.lhs for eq in eqs]
        paths = {}
        for part in traj.split(";"):
            lhs, rhs = part.split("=")
            paths[lhs.strip()] = to_sympy(rhs.strip(), [])
        path_subs = {f: paths[c] for c, f in zip(coords, funcs)}
        rows = []
        for t in TIMES:
            row = []
            for r in residual_exprs:
                v = r.subs(path_subs).doit().subs(T, sp.Rational(str(t)))
                row.append(float(sp.N(v, 30)))
            rows.append(row)
        out.append({
            "name": name,
            "coords": coords,
            "lagrangian": lag,
            "trajectory": traj,
            "times": TIMES,
            "residual": rows,
            "sympy_el": [str(r) for r in residual_exprs],
        })
    doc = {
        "generator": f"tests/golden/generate_el.py with SymPy {sp.__version__} (euler_equations)",
        "residual": "r_i = d/dt dL/dq_i' - dL/dq_i, one row per time, coordinates in order",
        "cases": out,
    }
    print(json.dumps(doc, indent=1))


if __name__ == "__main__":
    main()
