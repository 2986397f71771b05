"""Many small linear programs of one shape, solved as one block-diagonal program.

Each draw of a Monte Carlo run poses the same program with different numbers. A :class:`Blocks`
holds the shared structure (which variables each row touches) and the per-draw numbers, and
hands HiGHS one sparse program whose blocks are the draws; the blocks are independent, so the
joint optimum is every draw's optimum. Rows are two-sided, ``lb <= a.x <= ub``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_array, vstack

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

        HiGHS through ``linprog``: rows with a finite upper bound go in as they are, those with a finite
        lower bound negated.
        """
        nb = sl.stop - sl.start
        nr, nv = len(self.cols), self.n_vars
        lengths = np.array([len(c) for c in self.cols])
        row_of = np.repeat(np.arange(nr), lengths)
        col_of = np.concatenate(self.cols) if nr else np.zeros(0, dtype=int)
        data = np.concatenate([c[sl] for c in self.coefs], axis=1) if nr else np.zeros((nb, 0))  # [nb, nnz]
        blocks = np.arange(nb)[:, None]
        rows = (row_of[None, :] + blocks * nr).ravel()
        cols = (col_of[None, :] + blocks * nv).ravel()
        a = coo_array((data.ravel(), (rows, cols)), shape=(nb * nr, nb * nv)).tocsr()
        lb = np.stack([x[sl] for x in self.lbs], axis=1).ravel() if nr else np.zeros(0)
        ub = np.stack([x[sl] for x in self.ubs], axis=1).ravel() if nr else np.zeros(0)
        upper, lower = np.flatnonzero(np.isfinite(ub)), np.flatnonzero(np.isfinite(lb))
        a_ub = vstack([a[upper], -a[lower]]).tocsr()
        b_ub = np.concatenate([ub[upper], -lb[lower]])
        bounds = np.stack([np.concatenate([x[sl] for x in self.lower], axis=1).ravel(),
                           np.concatenate([x[sl] for x in self.upper], axis=1).ravel()], axis=1)
        # scipy-stubs' overloads take no sparse A_ub, which HiGHS accepts and this relies on
        res = linprog(self._costs(sl).ravel(), A_ub=a_ub, b_ub=b_ub, bounds=bounds,  # type: ignore[call-overload]
                      method="highs")
        if res.status != 0 or res.x is None:
            raise AccordError(f"the linear programs of the settlement analysis failed: {res.message}")
        marginals = np.abs(res.ineqlin.marginals)
        duals = np.zeros(nb * nr)
        np.add.at(duals, np.concatenate([upper, lower]), marginals)
        return res.x.reshape(nb, nv), duals.reshape(nb, nr)
