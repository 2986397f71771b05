"""The batched linear programs reach scipy's HiGHS without ``scipy.optimize`` (issue 15), and solve
exactly what ``linprog(method="highs")`` solves.

The small programs' optima and dual values are worked out by hand (two binding rows: solve the
2x2 system for the vertex, and ``u A = c`` for the multipliers). The settlement of the built-in
scenario with draws, under both veto rules, gives the same bits through the direct path and
through ``linprog``.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from accord.analysis import batched_lp
from accord.analysis.acceptance import Rules
from accord.analysis.batched_lp import Blocks, highs_core
from accord.analysis.settlement import settle
from accord.errors import AccordError
from accord.scenario.builtin import load_builtin


@pytest.fixture
def through_linprog(monkeypatch):
    """Solve through ``scipy.optimize.linprog``, as where scipy keeps no HiGHS module of its own."""
    monkeypatch.setattr(batched_lp, "highs_core", lambda: None)


def _two_vertices() -> Blocks:
    """max x + y s.t. x + 2y <= r, 3x + y <= s (the second row as -3x - y >= -s), x, y >= 0.

    Draw 0: r, s = 4, 6, the vertex x = 8/5, y = 6/5. Draw 1: r, s = 6, 8, the vertex x = y = 2.
    Both rows bind; ``u1 (1, 2) + u2 (3, 1) = (1, 1)`` gives the multipliers u = (2/5, 1/5).
    """
    blocks = Blocks(2)
    xy = blocks.var(2, 0.0, np.inf, cost=-1.0)
    blocks.row(xy, [1.0, 2.0], ub=[4.0, 6.0])
    blocks.row(xy, [-3.0, -1.0], lb=[-6.0, -8.0])
    return blocks


def test_the_optimum_and_duals_are_those_worked_out_by_hand():
    assert highs_core() is not None  # this scipy keeps HiGHS where the direct path finds it
    x, duals = _two_vertices().solve_with_duals()
    np.testing.assert_allclose(x, [[8 / 5, 6 / 5], [2.0, 2.0]], rtol=1e-12)
    np.testing.assert_allclose(duals, [[2 / 5, 1 / 5], [2 / 5, 1 / 5]], rtol=1e-12)


def test_the_direct_path_gives_linprogs_bits(monkeypatch):
    direct = _two_vertices().solve_with_duals()
    monkeypatch.setattr(batched_lp, "highs_core", lambda: None)
    via_linprog = _two_vertices().solve_with_duals()
    for a, b in zip(direct, via_linprog, strict=True):
        assert a.tobytes() == b.tobytes()


def test_an_explicit_zero_and_a_repeated_variable():
    """A zero coefficient stays in the matrix; a variable named twice in a row has its coefficients
    added: x + x + 2y <= 4 is 2x + 2y <= 4. Maximising x + 1.5 y over it and y <= 3 (of the
    vertices (2, 0) and (0, 2), worth 2 and 3), the optimum is x = 0, y = 2."""
    blocks = Blocks(1)
    xy = blocks.var(2, 0.0, 10.0, cost=[-1.0, -1.5])
    blocks.row([xy[0], xy[0], xy[1]], [1.0, 1.0, 2.0], ub=4.0)
    blocks.row(xy, [0.0, 1.0], ub=3.0)  # y <= 3, with x's zero kept
    np.testing.assert_allclose(blocks.solve(), [[0.0, 2.0]], atol=1e-12)
    zero = Blocks(1)
    xy = zero.var(2, 0.0, 10.0, cost=[-1.0, -1.5])
    zero.row(xy, [2.0, 2.0], ub=4.0)
    zero.row(xy, [0.0, 1.0], ub=3.0)
    np.testing.assert_allclose(zero.solve(), [[0.0, 2.0]], atol=1e-12)


def test_an_infeasible_program_is_a_clear_error():
    blocks = Blocks(1)
    x = blocks.var(1, 0.0, 1.0)
    blocks.row(x, [1.0], lb=2.0)  # x >= 2 with x <= 1
    with pytest.raises(AccordError, match="linear programs of the settlement analysis failed"):
        blocks.solve()


_SOLVE = Blocks.solve_with_duals


def _solved_programs(monkeypatch, scenario, rule: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """Every program the settlement of 60 draws (three chunks, on threads) solves, in order."""
    out: list[tuple[np.ndarray, np.ndarray]] = []

    def spy(self):
        result = _SOLVE(self)
        out.append(result)
        return result

    monkeypatch.setattr(Blocks, "solve_with_duals", spy)
    settle(scenario, None, None, n_draws=60, seed=7, rules=Rules(veto_rule=rule))
    return out


@pytest.mark.parametrize("rule", ["total", "issue"])
def test_the_builtin_settlement_with_draws_has_the_same_bits(monkeypatch, rule):
    scenario = load_builtin()
    direct = _solved_programs(monkeypatch, scenario, rule)
    monkeypatch.setattr(batched_lp, "highs_core", lambda: None)
    via_linprog = _solved_programs(monkeypatch, scenario, rule)
    assert len(direct) == len(via_linprog) >= 2
    for (x, d), (x0, d0) in zip(direct, via_linprog, strict=True):
        assert x.tobytes() == x0.tobytes()
        assert d.tobytes() == d0.tobytes()


def test_scipy_optimize_imported_later_uses_the_same_module():
    """The module loaded directly is registered under its name: ``scipy.optimize`` imported afterwards
    in the same process takes it, and ``linprog`` still works (pybind11 could not load it twice)."""
    code = (
        "import sys\n"
        "from accord.analysis.batched_lp import highs_core\n"
        "core = highs_core()\n"
        "assert 'scipy.optimize' not in sys.modules and 'scipy.sparse' not in sys.modules\n"
        "from scipy.optimize import linprog\n"
        "from scipy.optimize._highspy import _core\n"
        "assert _core is core\n"
        "res = linprog([-1, -1], A_ub=[[1, 2], [3, 1]], b_ub=[4, 6], method='highs')\n"
        "print(res.status, round(res.x[0] * 5, 9), round(res.x[1] * 5, 9))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "8.0", "6.0"]
