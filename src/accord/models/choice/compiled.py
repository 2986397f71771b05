"""The position-choice model's quantiles compiled: bisection on the censored Laplace mixture.

:func:`accord.models.choice.model.mixture_quantiles` in numpy evaluates the mixture's CDF on
``[levels, draws, candidates, issues]`` arrays forty times; here each (level, draw, issue) is
bisected on its own in a loop that releases the GIL (so Monte Carlo chunks of the model run on
several threads), with the same operations: the tail 0.5 exp(-|y - x_c| / b), the weights, and
the sum over candidates in numpy's order (left to right; numpy's pairwise summation when there
is one issue, as its array layout then makes the candidates contiguous). ``tests/test_choice.py``
checks the two agree bit for bit. :func:`_cdf` is inlined (a call passing its arrays cost a tenth
of the bisection in reference counts), and the CDF at the bounds is evaluated once per draw and
issue rather than once per level.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from accord.models.smp.compiled import pairwise_sum

JIT: dict[str, Any] = {"cache": True, "error_model": "numpy", "nogil": True}


@njit(inline='always', **JIT)
def _cdf(y, cand, prob, scale, pairwise, terms):
    """Evaluate the mixture's CDF at ``y`` for one draw and issue.

    F(y) = sum_c prob_c L(y; x_c, b) for one draw and issue (``cand``, ``prob`` over c).
    """
    n = cand.shape[0]
    for c in range(n):
        d = y - cand[c]
        tail = 0.5 * np.exp(-abs(d) / scale)
        terms[c] = prob[c] * (tail if d < 0 else 1 - tail)
    if pairwise:
        return pairwise_sum(terms, n)
    total = 0.0
    for c in range(n):
        total += terms[c]
    return total


@njit(**JIT)
def quantiles(candidates, prob, scale, lower, upper, levels, iterations, pairwise, out):
    """Compute the quantiles of censored Laplace mixtures by bisection, compiled.

    Quantiles ``out[L, B, I]`` of the mixtures ``candidates``, ``prob`` ``[B, C, I]`` (Laplace
    scale ``scale[I]``) censored to ``[lower, upper]``, by ``iterations`` bisection steps.
    """
    nb, nc, ni = candidates.shape
    cand = np.empty(nc)
    weight = np.empty(nc)
    terms = np.empty(nc)
    for b in range(nb):
        for i in range(ni):
            for c in range(nc):
                cand[c] = candidates[b, c, i]
                weight[c] = prob[b, c, i]
            at_lower = _cdf(lower[i], cand, weight, scale[i], pairwise, terms)  # the same for every level
            at_upper = _cdf(upper[i], cand, weight, scale[i], pairwise, terms)
            for k in range(levels.shape[0]):
                q = levels[k]
                lo, hi = lower[i], upper[i]
                for _ in range(iterations):
                    mid = (lo + hi) / 2
                    if _cdf(mid, cand, weight, scale[i], pairwise, terms) < q:
                        lo = mid
                    else:
                        hi = mid
                if at_lower >= q:
                    out[k, b, i] = lower[i]
                elif at_upper < q:
                    out[k, b, i] = upper[i]
                else:
                    out[k, b, i] = (lo + hi) / 2
