"""Many small linear programs of one shape, solved as one block-diagonal program.

Each draw of a Monte Carlo run poses the same program with different numbers. A :class:`Blocks`
holds the shared structure (which variables each row touches) and the per-draw numbers, and
hands HiGHS one sparse program whose blocks are the draws; the blocks are independent, so the
joint optimum is every draw's optimum. Rows are two-sided, ``lb <= a.x <= ub``.

HiGHS is scipy's compiled module, the one ``scipy.optimize.linprog(method="highs")`` drives, given
the very program and options ``linprog`` gives it (so the same optimum, bit for bit) but loaded
without ``scipy.optimize`` and ``scipy.sparse``, whose import takes longer (~0.5 s) than a
forecast at the coded values. Where this scipy keeps the module elsewhere, ``linprog`` solves.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from importlib.machinery import EXTENSION_SUFFIXES, ExtensionFileLoader
from importlib.util import find_spec, module_from_spec, spec_from_file_location
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from accord.cores import default_workers
from accord.errors import AccordError

#: the progress reporter of the programs being solved (:func:`reporting`), called with the
#: number of draws of each chunk solved
_REPORT: ContextVar[Callable[[int], None] | None] = ContextVar("accord_lp_report", default=None)


@contextmanager
def reporting(advance: Callable[[int], None]) -> Iterator[None]:
    """Report, within the block, each solved chunk of programs to ``advance(draws)``.

    Parameters
    ----------
    advance : callable
        Called with the number of draws whose program was just solved.

    Yields
    ------
    None
    """
    token = _REPORT.set(advance)
    try:
        yield
    finally:
        _REPORT.reset(token)


CHUNK = 25  # draws per program: HiGHS's time grows faster than linearly with the size, and
# each call has a fixed cost; about 25 draws a call was fastest on the built-in scenario


@dataclass
class Blocks:
    """The template: ``B`` draws, variables and rows with per-draw numbers (arrays (B, ...)).

    Parameters
    ----------
    B : int
        The number of draws (blocks).
    lower, upper, cost : list of np.ndarray
        Per group of variables, their bounds and costs, each of shape (B, n).
    cols : list of np.ndarray
        Per row, the variables it touches, shape (k,).
    coefs : list of np.ndarray
        Per row, its coefficients, shape (B, k).
    lbs, ubs : list of np.ndarray
        Per row, its bounds, shape (B,).
    extra : list of tuple of np.ndarray
        Costs added by :meth:`add_cost`: the variables and their per-draw costs.
    n_vars : int
        The number of variables in one block.
    """

    B: int
    lower: list[np.ndarray] = field(default_factory=list)  # each [B, n]
    upper: list[np.ndarray] = field(default_factory=list)
    cost: list[np.ndarray] = field(default_factory=list)
    cols: list[np.ndarray] = field(default_factory=list)  # per row: the variables it touches [k]
    coefs: list[np.ndarray] = field(default_factory=list)  # per row: [B, k]
    lbs: list[np.ndarray] = field(default_factory=list)  # per row: [B]
    ubs: list[np.ndarray] = field(default_factory=list)
    extra: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    n_vars: int = 0

    def var(self, n: int, lower: object = 0.0, upper: object = np.inf, cost: object = 0.0) -> np.ndarray:
        """Add ``n`` variables to every block.

        Parameters
        ----------
        n : int
            How many.
        lower, upper, cost : float or array_like
            Their bounds and costs, broadcast to (B, n).

        Returns
        -------
        np.ndarray
            Their indices in a block, shape (n,).
        """
        shape = (self.B, n)
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=float), shape))
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=float), shape))
        self.cost.append(np.broadcast_to(np.asarray(cost, dtype=float), shape))
        idx = np.arange(self.n_vars, self.n_vars + n)
        self.n_vars += n
        return idx

    def add_cost(self, cols: np.ndarray, coefs: object) -> None:
        """Add per-draw costs to some variables.

        Parameters
        ----------
        cols : np.ndarray
            The variables' indices, shape (k,).
        coefs : array_like
            The costs, broadcast to (B, k).
        """
        cols = np.asarray(cols, dtype=int)
        self.extra.append((cols, np.broadcast_to(np.asarray(coefs, dtype=float), (self.B, len(cols)))))

    def row(self, cols: np.ndarray | list[int], coefs: object, lb: object = -np.inf,
            ub: object = np.inf) -> None:
        """Add a row ``lb <= a.x <= ub`` to every block.

        Parameters
        ----------
        cols : np.ndarray or list of int
            The variables it touches, shape (k,).
        coefs : array_like
            Their coefficients, broadcast to (B, k).
        lb, ub : float or array_like
            The row's bounds, broadcast to (B,).
        """
        cols = np.asarray(cols, dtype=int)
        self.cols.append(cols)
        self.coefs.append(np.broadcast_to(np.asarray(coefs, dtype=float), (self.B, len(cols))))
        self.lbs.append(np.broadcast_to(np.asarray(lb, dtype=float), (self.B,)))
        self.ubs.append(np.broadcast_to(np.asarray(ub, dtype=float), (self.B,)))

    def solve(self) -> np.ndarray:
        """Solve every block.

        Returns
        -------
        np.ndarray
            The optimum ``x``, shape (B, n_vars).

        Raises
        ------
        AccordError
            When HiGHS fails (the callers build programs that are always feasible and bounded).
        """
        return self.solve_with_duals()[0]

    def solve_with_duals(self) -> tuple[np.ndarray, np.ndarray]:
        """Solve every block, with the rows' dual values.

        Returns
        -------
        x : np.ndarray
            The optimum, shape (B, n_vars).
        duals : np.ndarray
            Each row's dual value in absolute terms, shape (B, rows); 0 where the row does not bind the
            optimum.

        Raises
        ------
        AccordError
            When HiGHS fails.
        """
        x = np.empty((self.B, self.n_vars))
        duals = np.empty((self.B, len(self.cols)))
        slices = [slice(start, min(self.B, start + CHUNK)) for start in range(0, self.B, CHUNK)]
        advance = _REPORT.get()
        for sl, (xs, ds) in zip(slices, self._solved(slices), strict=True):
            x[sl], duals[sl] = xs, ds
            if advance is not None:
                advance(sl.stop - sl.start)
        return x, duals

    def _solved(self, slices: list[slice]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield each chunk's solution in order, the chunks solved on every core.

        HiGHS releases the GIL while it solves, and each chunk is its own program.
        """
        highs_core()  # loaded once, here, before any thread asks for it
        threads = min(default_workers(), len(slices))
        if threads <= 1:
            yield from map(self._solve, slices)
            return
        with ThreadPoolExecutor(threads) as pool:
            yield from pool.map(self._solve, slices)

    def _costs(self, sl: slice) -> np.ndarray:
        """Return the variables' costs plus those added by :meth:`add_cost`, shape (b, n_vars)."""
        out = np.concatenate([c[sl] for c in self.cost], axis=1).copy()
        for cols, coefs in self.extra:
            np.add.at(out, (slice(None), cols), coefs[sl])  # type: ignore[arg-type]  # numpy's stub takes no slice in the index tuple
        return out

    def _solve(self, sl: slice) -> tuple[np.ndarray, np.ndarray]:
        """Solve one chunk of blocks as one sparse program.

        As ``linprog`` poses it: ``min c.x`` over ``lower <= x <= upper`` and ``A_ub x <= b_ub``, the
        rows with a finite upper bound as they are, then those with a finite lower bound negated.
        """
        upper_rows, lower_rows, b_ub = self._inequalities(sl)
        c = self._costs(sl).ravel()
        lower = np.concatenate([x[sl] for x in self.lower], axis=1).ravel()
        upper = np.concatenate([x[sl] for x in self.upper], axis=1).ravel()
        if highs_core() is None or self._repeats_a_variable():
            return self._solve_with_linprog(sl, upper_rows, lower_rows, b_ub, c, lower, upper)
        nb, nr = sl.stop - sl.start, len(self.cols)
        start, index, value = self._csc(sl, upper_rows, lower_rows)
        x, duals = solve_highs(c, start, index, value, b_ub, lower, upper)
        return x.reshape(nb, self.n_vars), _per_row(duals, upper_rows, lower_rows, nb, nr)

    def _inequalities(self, sl: slice) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the chunk's rows with a finite upper bound, those with a finite lower bound, and ``b_ub``.

        Rows are numbered ``block * rows + row``; ``b_ub`` is the upper bounds, then the lower ones negated.
        """
        nr = len(self.cols)
        lb = np.stack([x[sl] for x in self.lbs], axis=1).ravel() if nr else np.zeros(0)
        ub = np.stack([x[sl] for x in self.ubs], axis=1).ravel() if nr else np.zeros(0)
        upper, lower = np.flatnonzero(np.isfinite(ub)), np.flatnonzero(np.isfinite(lb))
        return upper, lower, np.concatenate([ub[upper], -lb[lower]])

    def _repeats_a_variable(self) -> bool:
        """Whether a row names a variable twice (its coefficients then add up, as ``linprog`` adds them)."""
        if not self.cols:
            return False
        row_of = np.repeat(np.arange(len(self.cols)), [len(c) for c in self.cols])
        entries = row_of * self.n_vars + np.concatenate(self.cols)
        return len(np.unique(entries)) < len(entries)

    def _entries(self, sl: slice) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the chunk's entries: each one's row and column (numbered over the chunk) and value."""
        nb = sl.stop - sl.start
        nr, nv = len(self.cols), self.n_vars
        if not nr:
            return np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0)
        row_of = np.repeat(np.arange(nr), [len(c) for c in self.cols])
        col_of = np.concatenate(self.cols)
        blocks = np.arange(nb)[:, None]
        data = np.concatenate([c[sl] for c in self.coefs], axis=1)  # [nb, nnz]
        return (row_of[None, :] + blocks * nr).ravel(), (col_of[None, :] + blocks * nv).ravel(), data.ravel()

    def _csc(self, sl: slice, upper_rows: np.ndarray,
             lower_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return ``A_ub`` (the upper rows, then the lower rows negated) in compressed-column form.

        Each column's entries in row order, explicit zeros kept: the arrays ``linprog`` hands HiGHS
        for the same program (no row names a variable twice, so no entries are added up).
        """
        rows, cols, values = self._entries(sl)
        n_rows = (sl.stop - sl.start) * len(self.cols)
        n_cols = (sl.stop - sl.start) * self.n_vars
        up = np.full(n_rows, -1)
        up[upper_rows] = np.arange(len(upper_rows))
        down = np.full(n_rows, -1)
        down[lower_rows] = len(upper_rows) + np.arange(len(lower_rows))
        has_up, has_down = up[rows] >= 0, down[rows] >= 0
        row = np.concatenate([up[rows][has_up], down[rows][has_down]])
        col = np.concatenate([cols[has_up], cols[has_down]])
        value = np.concatenate([values[has_up], -values[has_down]])
        order = np.lexsort((row, col))
        start = np.zeros(n_cols + 1, dtype=np.int32)
        np.cumsum(np.bincount(col, minlength=n_cols), out=start[1:])
        return start, row[order].astype(np.int32), value[order]

    def _solve_with_linprog(self, sl: slice, upper_rows: np.ndarray, lower_rows: np.ndarray,
                            b_ub: np.ndarray, c: np.ndarray, lower: np.ndarray,
                            upper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Solve one chunk through ``scipy.optimize.linprog(method="highs")`` (see :meth:`_solve`)."""
        from scipy.optimize import linprog
        from scipy.sparse import coo_array, vstack

        nb, nr, nv = sl.stop - sl.start, len(self.cols), self.n_vars
        rows, cols, values = self._entries(sl)
        a = coo_array((values, (rows, cols)), shape=(nb * nr, nb * nv)).tocsr()
        a_ub = vstack([a[upper_rows], -a[lower_rows]]).tocsr()
        # scipy-stubs' overloads take no sparse A_ub, which HiGHS accepts and this relies on
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=np.stack([lower, upper], axis=1),  # type: ignore[call-overload]
                      method="highs")
        if res.status != 0 or res.x is None:
            raise AccordError(f"the linear programs of the settlement analysis failed: {res.message}")
        return res.x.reshape(nb, nv), _per_row(res.ineqlin.marginals, upper_rows, lower_rows, nb, nr)


def _per_row(duals: np.ndarray, upper_rows: np.ndarray, lower_rows: np.ndarray, nb: int,
             nr: int) -> np.ndarray:
    """Return the inequalities' dual values per block and row, ``[nb, nr]``, in absolute terms.

    The inequalities are the rows with a finite upper bound, then those with a finite lower bound
    (:meth:`Blocks._inequalities`); a row bounded on both sides gets the sum of its two.
    """
    per_row = np.zeros(nb * nr)
    np.add.at(per_row, np.concatenate([upper_rows, lower_rows]), np.abs(duals))
    return per_row.reshape(nb, nr)


# --- HiGHS without scipy.optimize -------------------------------------------------------------
_CORE = "scipy.optimize._highspy._core"  # scipy's HiGHS (scipy >= 1.15); linprog's _highs_wrapper drives it
_NEEDS = ("HighsLp", "MatrixFormat", "_Highs", "HighsOptions", "HighsStatus", "HighsModelStatus",
          "HighsDebugLevel", "simplex_constants", "kHighsInf")
#: the feasibility tolerance of linprog's check of a solution: 10 sqrt(1e-9)
_CHECK_TOL = float(np.sqrt(1e-9) * 10)


@cache
def highs_core() -> ModuleType | None:
    """Return scipy's compiled HiGHS module, loaded without running ``scipy.optimize``'s ``__init__``.

    It is registered under its own name, so a later ``import scipy.optimize`` uses this very module.
    None where this scipy has no such module (then ``linprog`` solves).
    """
    module = sys.modules.get(_CORE)
    if module is None:
        module = _load_core()
    return module if module is not None and all(hasattr(module, n) for n in _NEEDS) else None


def _load_core() -> ModuleType | None:
    """Load the compiled module from scipy's folder; None where it is not there."""
    scipy = find_spec("scipy")
    if scipy is None or scipy.origin is None:
        return None
    folder = Path(scipy.origin).parent / "optimize" / "_highspy"
    found = [path for path in (folder / f"_core{suffix}" for suffix in EXTENSION_SUFFIXES) if path.is_file()]
    if not found:
        return None
    loader = ExtensionFileLoader(_CORE, str(found[0]))
    spec = spec_from_file_location(_CORE, found[0], loader=loader)
    if spec is None:
        return None
    try:
        module = module_from_spec(spec)
        loader.exec_module(module)
    except ImportError:
        return None
    return sys.modules.setdefault(_CORE, module)


def solve_highs(c: np.ndarray, start: np.ndarray, index: np.ndarray, value: np.ndarray, b_ub: np.ndarray,
                lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``min c.x`` s.t. ``A x <= b_ub``, ``lower <= x <= upper`` with HiGHS, as ``linprog`` does.

    The options are those of ``linprog(method="highs")``: presolve on, the dual simplex, no output.
    A solution is accepted as ``linprog`` accepts it: optimal, no NaN, and within ``10 sqrt(1e-9)``
    of every bound and row.

    Parameters
    ----------
    c : np.ndarray
        The costs, shape (n,).
    start, index, value : np.ndarray
        ``A`` in compressed-column form: column ``j``'s entries are ``value[start[j]:start[j + 1]]``
        in the rows ``index[start[j]:start[j + 1]]``.
    b_ub : np.ndarray
        The rows' upper bounds, shape (m,).
    lower, upper : np.ndarray
        The variables' bounds, shape (n,); NaN: none.

    Returns
    -------
    x : np.ndarray
        The optimum, shape (n,).
    duals : np.ndarray
        The rows' dual values (``linprog``'s ``ineqlin.marginals``), shape (m,).

    Raises
    ------
    AccordError
        When HiGHS finds no optimum.
    ValueError
        When a cost, coefficient or bound is NaN (or a cost or coefficient infinite), which
        ``linprog`` refuses too.
    """
    h: Any = highs_core()
    lower = np.where(np.isnan(lower), -np.inf, lower)
    upper = np.where(np.isnan(upper), np.inf, upper)
    if not (np.isfinite(c).all() and np.isfinite(value).all() and np.isfinite(b_ub).all()):
        raise ValueError("the settlement's linear program has a cost, coefficient or bound that is "
                         "not a finite number")
    lp = h.HighsLp()
    lp.num_col_, lp.num_row_ = len(c), len(b_ub)
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = len(c), len(b_ub)
    lp.a_matrix_.format_ = h.MatrixFormat.kColwise
    lp.col_cost_ = c
    lp.col_lower_, lp.col_upper_ = _highs_inf(h, lower), _highs_inf(h, upper)
    lp.row_lower_, lp.row_upper_ = np.full(len(b_ub), -h.kHighsInf), b_ub
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = start, index, value
    highs = h._Highs()
    options = h.HighsOptions()
    options.presolve = "on"
    options.highs_debug_level = h.HighsDebugLevel.kHighsDebugLevelNone
    options.log_to_console = False
    options.output_flag = False
    options.simplex_strategy = h.simplex_constants.SimplexStrategy.kSimplexStrategyDual
    error = h.HighsStatus.kError
    if highs.passOptions(options) == error or highs.passModel(lp) == error or highs.run() == error:
        raise AccordError("the linear programs of the settlement analysis failed: HiGHS reported an error")
    status = highs.getModelStatus()
    if status != h.HighsModelStatus.kOptimal:
        raise AccordError("the linear programs of the settlement analysis failed: "
                          f"{highs.modelStatusToString(status)}")
    solution = highs.getSolution()
    x, duals = np.array(solution.col_value), np.array(solution.row_dual)
    slack = b_ub - np.array(solution.row_value)
    fun = highs.getInfo().objective_function_value
    if (np.isnan(x).any() or np.isnan(fun) or np.isnan(slack).any() or (slack < -_CHECK_TOL).any()
            or not ((x >= lower - _CHECK_TOL) & (x <= upper + _CHECK_TOL)).all()):
        raise AccordError("the linear programs of the settlement analysis failed: the solution does not "
                          f"satisfy the constraints within {_CHECK_TOL:.2E}")
    return x, duals


def _highs_inf(h: Any, bound: np.ndarray) -> np.ndarray:
    """Return ``bound`` with its infinities as HiGHS's (as ``linprog`` passes them)."""
    out = bound.copy()
    infinite = np.isinf(out)
    out[infinite] = np.sign(out[infinite]) * h.kHighsInf
    return out
