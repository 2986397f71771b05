"""The compiled round of the expected-utility model equals its numpy statement bit for bit.

:func:`accord.models.eum.fused.step_rows` (one compiled pass per row, issue 15) must give exactly
what :func:`accord.models.eum.kernel.risk_exponents` and :func:`~accord.models.eum.kernel.offers`
give, for every rule variant the two models expose, on rows with shared positions, zero
saliences and a zero span; and the models' trajectories must still match the reference
program (tests/test_eum.py checks those against the measured outputs).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from accord.models.eum import kernel
from accord.models.eum.fused import step_rows
from accord.models.eum.rules import Rules


def _rows(seed: int, m: int, n: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    x = rng.choice(np.linspace(0, 100, 9), (m, n)) if seed % 2 else rng.uniform(0, 100, (m, n))
    x[0] = x[0, 0]  # one row with everybody at one position
    c = rng.uniform(1, 100, (m, n))
    s = rng.uniform(0, 1, (m, n))
    s[1, : n // 2] = 0.0  # actors without salience
    span = x.max(axis=1) - x.min(axis=1)
    span = np.where(span > 0, span, 1.0)
    mu = x[np.arange(m), rng.integers(0, n, m)]  # the median is an actor's position
    return x, c * s, s, span, mu


RULES = [
    Rules(),  # eum-scholz: global probability, position key, no capitulation
    Rules(Q=0.6, T=0.3, status_quo_term=True, pairwise_probability=True, capitulation=True,
          least_move_compromise=True, median_tie_tol=1e-12),  # eum with the status quo term live
    Rules(pairwise_probability=True, votes_use_risk=False, capitulation=True),
    Rules(Q=0.8, status_quo_term=True, least_move_any_type=True, require_sender_interest=True),
    Rules(Q=0.5, pairwise_probability=True, require_sender_interest=True, least_move_compromise=True),
]


@pytest.mark.parametrize(("rules", "n"), list(itertools.product(RULES, [2, 3, 7, 16])))
def test_compiled_round_equals_the_numpy_statement(rules, n):
    for seed in range(4):
        x, w, s, span, mu = _rows(seed, 6, n)
        delta = kernel.distances(x, span)
        r, equal = kernel.risk_exponents(x, delta, w, s, span, mu, rules)
        choice = kernel.offers(x, delta, w, s, r, span, mu, rules)
        got = {"risk": np.empty((6, n)), "equal": np.empty(6, dtype=bool),
               "proposer": np.empty((6, n), dtype=np.int32), "kind": np.empty((6, n), dtype=np.int8),
               "eu_own": np.empty((6, n)), "eu_other": np.empty((6, n)), "position": np.empty((6, n))}
        step_rows(x, w, s, span, mu, rules.Q, rules.T, rules.status_quo_term, rules.pairwise_probability,
                  rules.votes_use_risk, rules.capitulation, rules.least_move_compromise,
                  rules.least_move_any_type, rules.require_sender_interest, *got.values(), 0.5)
        np.testing.assert_array_equal(got["risk"], r)
        np.testing.assert_array_equal(got["equal"], equal)
        for key in ("proposer", "kind", "eu_own", "eu_other", "position"):
            np.testing.assert_array_equal(got[key], getattr(choice, key), err_msg=key)


@pytest.mark.parametrize(("rules", "seed"), list(itertools.product(RULES, [2, 3])))
def test_compiled_rounds_of_many_actors_equal_the_numpy_statement(rules, seed):
    """Rows of more than 64 actors (sorted by position, prefix-sum votes), split over threads.

    Seed 3 puts the actors on 9 positions (runs of equal positions, computed once per pair of
    runs; proposers at equal distances on both sides of a receiver, whose outward search for a
    confrontation must break the tie as the full search does); seed 2 spreads them out.
    """
    from accord.models.eum import rounds

    n, m = 90, 5
    x, w, s, span, mu = _rows(seed, m, n)
    results = []
    for step, threads in ((rounds.numpy_step_rows, None), (rounds.step_rows, 1), (rounds.step_rows, 3)):
        out = {"positions": np.stack([x, x]), "median": np.stack([mu, mu]),
               **{k: np.zeros((2, m, n), dtype=d) for k, d in
                  (("risk", float), ("proposer", np.int32), ("kind", np.int8), ("eu_own", float),
                   ("eu_other", float))},
               "equal_danger": np.zeros((2, m), dtype=bool)}
        args = (out, 1, np.arange(m), w, s, span, rules)
        step(*args) if threads is None else step(*args, threads)
        results.append(out)
    for out in results[1:]:
        for key, value in results[0].items():
            np.testing.assert_array_equal(out[key], value, err_msg=key)


def test_compiled_median_equals_the_numpy_statement():
    from accord.models.eum.rounds import medians

    for seed, n in ((0, 5), (1, 11), (2, 70), (3, 90)):
        x, w, _, span, _ = _rows(seed, 8, n)
        for tol in (None, 1e-12, 0.05):
            got = medians(x, w, span, tol, threads=3)
            expected = kernel.median_position(x, w, span, tol)
            np.testing.assert_array_equal(got[0], expected[0])
            np.testing.assert_array_equal(got[1], expected[1])
