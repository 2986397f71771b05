"""The what-if effect: one statistic, the difference of the medians over the same draws, with a
paired-bootstrap interval and the share of draws that moved (issue 13: a bimodal outcome once
showed "Δ +0.0" while its median moved)."""

from __future__ import annotations

import numpy as np
import pytest

from accord.experiments.interventions import Intervention
from accord.experiments.whatif import PairedOutcomes
from accord.runs import Change, WhatIfSpec
from accord.runs.whatif_result import WhatIfResult, _resampled_medians, resample_counts

from helpers import scenario


def _result(base: np.ndarray, new: np.ndarray) -> WhatIfResult:
    s = scenario([("a", 50), ("b", 50)], [("a", "x", 10, 50), ("b", "x", 90, 50)])
    paired = PairedOutcomes(s, Intervention(id="t"), len(base), 0, {"m": base[:, None]}, {"m": new[:, None]})
    return WhatIfResult.from_outcomes(WhatIfSpec(change=Change(set=["capability[a] *= 1"])), paired, [])


def test_a_moved_median_is_never_reported_as_no_effect():
    # 100 draws: the baseline lands on 10 in 60 of them and 90 in 40; the what-if moves 20 draws
    # from 10 to 90. Paired differences are 0 in 80 draws and +80 in 20, so their median is 0 --
    # the old statistic. The medians move from 10 to 90: the effect is +80, 20% of draws moved.
    base = np.array([10.0] * 60 + [90.0] * 40)
    new = np.array([10.0] * 40 + [90.0] * 60)
    m = _result(base, new).models["m"]
    assert np.median(new - base) == 0
    assert m.effect[0] == 80 and m.moved[0] == pytest.approx(0.2)
    assert m.difference["median"][0] == 0


def test_no_change_gives_zero_effect_and_a_point_interval():
    base = np.random.default_rng(1).normal(50, 10, 200)
    m = _result(base, base.copy()).models["m"]
    assert (m.effect[0], m.effect_low[0], m.effect_high[0], m.moved[0]) == (0, 0, 0, 0)


def test_a_constant_shift_gives_that_effect_and_interval():
    base = np.random.default_rng(2).normal(50, 10, 300)
    m = _result(base, base + 3.0).models["m"]
    assert m.effect[0] == pytest.approx(3.0) and m.moved[0] == 1.0
    assert m.effect_low[0] == pytest.approx(3.0) and m.effect_high[0] == pytest.approx(3.0)


@pytest.mark.filterwarnings("ignore:All-NaN slice")  # n = 2: some resamples hold only the NaN
@pytest.mark.parametrize("n", [2, 7, 1000, 1001])
def test_resampled_medians_are_numpys_medians(n):
    """Bit for bit numpy's median of each resample, with distinct values and with many ties."""
    rng = np.random.default_rng(n)
    picks = rng.integers(0, n, size=(60, n))
    counts = resample_counts(picks, n)
    assert counts.sum(axis=1).tolist() == [n] * 60 and (counts[0] == np.bincount(picks[0], minlength=n)).all()
    for values in (rng.normal(size=n), rng.integers(0, 4, n) * 0.1):
        np.testing.assert_array_equal(_resampled_medians(values, picks, counts),
                                      np.median(values[picks], axis=1))
    values[0] = np.nan  # a draw a model could not forecast: numpy's nanmedian
    np.testing.assert_array_equal(_resampled_medians(values, picks, counts),
                                  np.nanmedian(values[picks], axis=1))
