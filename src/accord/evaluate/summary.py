"""Backtest results as plain data: per-model metrics with cluster-bootstrap intervals, breakdowns."""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.evaluate.backtest import Backtest
from accord.evaluate.bootstrap import bootstrap_means, cluster_weights, percentile_interval
from accord.evaluate.metrics import coverage, point_metrics

GROUPINGS = {"wave": "wave", "procedure": "procedure", "voting-rule": "voting_rule"}
REFERENCE = "compromise"


def _r(x: float | None, digits: int = 4) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), digits)


def model_table(bt: Backtest, mask: np.ndarray, seed: int, n_boot: int) -> dict[str, dict[str, Any]]:
    """Metrics of every completed model on the cases in ``mask``."""
    done = bt.completed
    if not done or not mask.any():
        return {}
    names = list(done)
    errors = np.stack([bt.errors(n)[mask] for n in names], axis=1)  # [N, M]
    groups = bt.proposals[mask]
    weights = cluster_weights(groups, n_boot, np.random.default_rng(seed))
    draws = bootstrap_means(errors, groups, weights)  # [n_boot, M]
    ci = percentile_interval(draws)
    ref = names.index(REFERENCE) if REFERENCE in names else None
    table: dict[str, dict[str, Any]] = {}
    for m, name in enumerate(names):
        res = done[name]
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


def summarize(
    bt: Backtest, by: list[str] | None = None, seed: int = 0, n_boot: int = 2000, source: str | None = None
) -> dict[str, Any]:
    """The backtest as JSON-ready data: ``{"models": {...}, "skipped": {...}, "by": {...}}``."""
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
