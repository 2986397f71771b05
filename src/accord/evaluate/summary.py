"""Backtest results as plain data: per-model metrics with cluster-bootstrap intervals, breakdowns."""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.evaluate.backtest import REFERENCE, Backtest
from accord.evaluate.bootstrap import bootstrap_means, cluster_weights, percentile_interval
from accord.evaluate.metrics import coverage, point_metrics

GROUPINGS = {"wave": "wave", "procedure": "procedure", "voting-rule": "voting_rule"}


def _r(x: float | None, digits: int = 4) -> float | None:
    """Round a finite value to ``digits`` decimals; None for a missing or non-finite one."""
    return None if x is None or not np.isfinite(x) else round(float(x), digits)


def _block(
    bt: Backtest, names: list[str], mask: np.ndarray, seed: int, n_boot: int
) -> dict[str, dict[str, Any]]:
    """Compute the metrics of ``names`` on the cases in ``mask``.

    With paired differences to the reference (when it is among ``names``) from one set of
    cluster-bootstrap draws.
    """
    errors = np.stack([bt.errors(n)[mask] for n in names], axis=1)  # [N, M]
    groups = bt.proposals[mask]
    weights = cluster_weights(groups, n_boot, np.random.default_rng(seed))
    draws = bootstrap_means(errors, groups, weights)  # [n_boot, M]
    ci = percentile_interval(draws)
    ref = names.index(REFERENCE) if REFERENCE in names else None
    table: dict[str, dict[str, Any]] = {}
    for m, name in enumerate(names):
        res = bt.result(name)
        quant = {k: v[mask] for k, v in res.quantiles.items()} if res.quantiles else None
        entry: dict[str, Any] = {
            k: _r(v) if isinstance(v, float) else v for k, v in point_metrics(errors[:, m]).items()
        }
        entry["mae_ci"] = [_r(ci[0, m]), _r(ci[1, m])]
        entry |= {k: _r(v) for k, v in coverage(quant, bt.outcome[mask]).items()}
        entry["protocol"] = res.protocol
        entry["n_fallback"] = int(res.fallback[mask].sum()) if res.fallback is not None else 0
        if ref is not None and m != ref:
            diff = draws[:, m] - draws[:, ref]
            entry["mae_diff_vs_compromise"] = _r(errors[:, m].mean() - errors[:, ref].mean())
            entry["mae_diff_ci"] = [_r(v) for v in percentile_interval(diff)]
        table[name] = entry
    return table


def model_table(bt: Backtest, mask: np.ndarray, seed: int, n_boot: int) -> dict[str, dict[str, Any]]:
    """Compute the metrics of every completed model on the cases in ``mask``.

    A model run on a subset only (the exchange models: issues of multi-issue proposals) is scored
    on ``mask`` & its subset; its entry says so (``subset``, ``n_not_applicable``) and carries
    ``compromise_same_subset`` (the reference's metrics on exactly those issues); its
    ``mae_diff_vs_compromise`` and ``mae_diff_ci`` are paired on that subset (same proposal
    resamples for both).

    Parameters
    ----------
    bt : Backtest
        The backtest.
    mask : np.ndarray
        The cases to score, boolean, shape (N,).
    seed : int
        The seed of the bootstrap.
    n_boot : int
        The number of bootstrap draws.

    Returns
    -------
    dict of str to dict
        By model: ``n``, ``mae`` with ``mae_ci``, ``median_ae``, ``within_10``, coverage,
        ``protocol``, ``n_fallback`` and the paired differences to the reference.
    """
    done = bt.completed
    if not done or not mask.any():
        return {}
    n = len(bt.cases)
    whole = [name for name, r in done.items() if r.subset is None]
    table = _block(bt, whole, mask, seed, n_boot) if whole else {}
    partial: dict[bytes, list[str]] = {}
    for name, res in done.items():
        if res.subset is not None:
            partial.setdefault(res.scored(n).tobytes(), []).append(name)
    for names in partial.values():
        res = done[names[0]]
        sub = mask & res.scored(n)
        if not sub.any():
            continue
        has_ref = REFERENCE in whole or (bt.reference is not None and bt.reference.forecast is not None)
        with_ref = names + ([REFERENCE] if has_ref else [])
        block = _block(bt, with_ref, sub, seed, n_boot)
        same = block.pop(REFERENCE, None)
        for name in names:
            entry = block[name]
            entry["subset"] = res.subset_name
            entry["n_proposals"] = len(set(bt.proposals[sub]))
            entry["n_not_applicable"] = int((mask & ~sub).sum())
            entry["not_applicable"] = done[name].not_applicable
            if same is not None:
                entry["compromise_same_subset"] = {
                    k: same[k] for k in ("n", "mae", "mae_ci", "median_ae", "within_10")
                }
            table[name] = entry
    return {name: table[name] for name in done if name in table}


def summarize(
    bt: Backtest, by: list[str] | None = None, seed: int = 0, n_boot: int = 2000, source: str | None = None
) -> dict[str, Any]:
    """Return the backtest as JSON-ready data.

    Parameters
    ----------
    bt : Backtest
        The backtest.
    by : list of str, optional
        Breakdowns, from :data:`GROUPINGS` (``wave``, ``procedure``, ``voting-rule``).
    seed : int
        The seed of the bootstrap.
    n_boot : int
        The number of bootstrap draws.
    source : str, optional
        The data's source, to record.

    Returns
    -------
    dict
        ``data``, ``seed``, ``n_boot``, ``models`` (:func:`model_table`), ``skipped`` and, with
        ``by``, the breakdowns.
    """
    everything = np.ones(len(bt.cases), dtype=bool)
    data: dict[str, Any] = {
        "data": {"source": source, "n_scoreable": len(bt.cases), "n_proposals": len(set(bt.proposals))},
        "seed": seed,
        "n_boot": n_boot,
        "models": model_table(bt, everything, seed, n_boot),
        "skipped": {n: r.skipped for n, r in bt.results.items() if r.skipped},
    }
    if by:
        data["by"] = {}
        for key in by:
            attr = GROUPINGS[key]
            values = np.array([str(getattr(c, attr)) for c in bt.cases])
            data["by"][key] = {
                g: {"n": int((values == g).sum()), "models": model_table(bt, values == g, seed, n_boot)}
                for g in sorted(set(values))
            }
    return data
