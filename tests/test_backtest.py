"""Backtest: the reference numbers of SOURCES.md, the bootstrap, grouped cross-validation, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.cli.main import main
from accord.evaluate.backtest import run_backtest
from accord.evaluate.bootstrap import bootstrap_means, cluster_weights, percentile_interval
from accord.evaluate.crossval import cross_validate, grouped_folds
from accord.evaluate.metrics import coverage, point_metrics
from accord.evaluate.stack import stack_arrays
from accord.evaluate.summary import summarize
from accord.models import available_models, get_model
from accord.scenario import compile_scenario
from accord.scenario.io.deu import load_deu

from helpers import scenario


@pytest.fixture(scope="module")
def tsv(shared_dir) -> Path:
    return shared_dir / "benchmark-data/deu3/deu3.tsv"


@pytest.fixture(scope="module")
def cases(tsv):
    return load_deu(tsv).cases


def test_reference_numbers_of_sources_md(capsys, tsv):
    """SOURCES.md: compromise 23.10, mean 23.23, median 27.92 over 227 issues. The 27.92 is the
    median convention that takes the midpoint of the two middle positions for an even count."""
    code = main(["backtest", str(tsv), "-m", "compromise", "-m", "mean", "-m", "median", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0
    models = json.loads(out)["models"]
    assert {m: models[m]["n"] for m in models} == {"compromise": 227, "mean": 227, "median": 227}
    assert round(models["compromise"]["mae"], 2) == 23.10
    assert round(models["mean"]["mae"], 2) == 23.23
    assert round(models["median"]["mae"], 2) == 27.92
    lo, hi = models["compromise"]["mae_ci"]
    assert lo < 23.10 < hi


def test_point_metrics_and_coverage_by_hand():
    err = np.array([0.0, 5.0, 10.0, 25.0])
    assert point_metrics(err) == {"n": 4, "mae": 10.0, "median_ae": 7.5, "within_10": 0.75}
    y = np.array([10.0, 50.0, 90.0, 100.0])
    q = {
        0.05: np.zeros(4),
        0.25: np.array([20.0, 40, 80, 100]),
        0.75: np.array([30.0, 60, 95, 100]),
        0.95: np.array([100.0, 100, 100, 99]),
    }
    assert coverage(q, y) == {"coverage_50": 0.75, "coverage_90": 0.75}
    assert coverage(None, y) == {"coverage_50": None, "coverage_90": None}


def test_cluster_bootstrap_by_hand():
    values = np.array([1.0, 3.0, 10.0])
    groups = np.array(["a", "a", "b"])
    # draw 1: a twice -> (1+3+1+3)/4 = 2; draw 2: a and b -> 14/3; draw 3: b twice -> 10
    weights = np.array([[2.0, 0.0], [1.0, 1.0], [0.0, 2.0]])
    assert bootstrap_means(values, groups, weights) == pytest.approx([2.0, 14 / 3, 10.0])
    w = cluster_weights(np.array(list("aabbbc")), 500, np.random.default_rng(1))
    assert w.shape == (500, 3) and (w.sum(axis=1) == 3).all()


def test_bootstrap_interval_contains_estimate_and_is_reproducible(cases):
    bt = run_backtest(cases, ["compromise", "mean"])
    a = summarize(bt, seed=7, n_boot=500)["models"]
    b = summarize(bt, seed=7, n_boot=500)["models"]
    c = summarize(bt, seed=8, n_boot=500)["models"]
    for name in ("compromise", "mean"):
        lo, hi = a[name]["mae_ci"]
        assert lo < a[name]["mae"] < hi
        assert a[name]["mae_ci"] == b[name]["mae_ci"]
    assert a["compromise"]["mae_ci"] != c["compromise"]["mae_ci"]
    lo, hi = a["mean"]["mae_diff_ci"]
    assert lo < a["mean"]["mae_diff_vs_compromise"] < hi


def test_percentile_interval():
    assert percentile_interval(np.arange(101.0), 0.9) == pytest.approx([5.0, 95.0])


def test_grouped_folds_keep_proposals_whole():
    groups = np.array(list("aabbbcddde"))
    for k in (None, 2, 3):
        folds = list(grouped_folds(groups, k, seed=3))
        assert np.sum(folds, axis=0).tolist() == [1] * len(groups)  # every issue tested once
        for test in folds:
            assert not set(groups[test]) & set(groups[~test])
    assert len(list(grouped_folds(groups))) == 5


def test_cross_validation_never_trains_on_the_test_proposal():
    groups = np.array(list("aabbbcddde"))
    seen: list[set[str]] = []

    def fit(train):
        seen.append(set(groups[train]))
        return set(groups[train])

    def predict(trained, test):
        assert not trained & set(groups[test])
        return {"n_train_groups": np.full(len(test), float(len(trained)))}

    out, fold = cross_validate(fit, predict, groups)
    assert (out["n_train_groups"] == 4).all()
    for n, proposal in enumerate(sorted(set(groups))):
        assert set(groups[fold == n]) == {proposal} and proposal not in seen[n]


def test_choice_cv_is_nested_and_leave_one_proposal_out(cases, monkeypatch):
    """Every fit of the nested CV (inner selection and outer refit) excludes the outer test
    proposal; the inner folds split only the outer training set, by whole proposals; the last
    fit of each outer fold uses exactly its training set."""
    import accord.evaluate.choice_cv as cv
    from accord.evaluate.fit_choice import VARIANTS

    calls: list[np.ndarray] = []
    real = cv._fitter

    def spy_fitter(arrays, y):
        fit = real(arrays, y)

        def wrapped(variant, index):
            calls.append(np.sort(index))
            return fit(variant, index)

        return wrapped

    monkeypatch.setattr(cv, "_fitter", spy_fitter)
    result = cv.cross_validate_choice(cases, k=3, seed=1)
    groups, fold = result["groups"], result["fold"]
    per_fold = len(VARIANTS) * cv.INNER_K + 1
    assert len(calls) == 3 * per_fold
    for n in range(3):
        train = np.flatnonzero(fold != n)
        block = calls[n * per_fold : (n + 1) * per_fold]
        assert np.array_equal(block[-1], train)  # the outer refit
        for index in block[:-1]:
            assert set(index) < set(train)  # inner fits see only the outer training set
            left_out = np.setdiff1d(train, index)
            assert not set(groups[left_out]) & set(groups[index])  # whole proposals left out
        assert not set(groups[fold == n]) & set(groups[fold != n])
    q = result["quantiles"]
    assert (np.diff(q, axis=1) >= -1e-9).all() and q.min() >= 0 and q.max() <= 100
    assert result["chosen"].shape == (3,) and result["inner_mae"].shape == (3, len(VARIANTS))


def test_nested_selection_never_sees_the_test_proposal():
    """Constant forecasters 0 and 100. Proposals a-d: one issue each with outcome 0; e: four
    issues with outcome 100. Testing a, the training outcomes are 0,0,0,100,100,100,100: inner
    MAE of "0" = 400/7, of "100" = 300/7, so "100" is chosen. Testing e, the training outcomes
    are all 0, so "0" is chosen -- although the test proposal alone would favour "100"."""
    from accord.evaluate.nested import nested_cross_validate

    groups = np.array(list("abcdeeee"))
    y = np.array([0.0] * 4 + [100.0] * 4)
    fitted: list[tuple[int, set[str]]] = []

    def fit(variant, index):
        fitted.append((variant, set(groups[index])))
        return variant

    def predict(constant, test):
        return {"forecast": np.full(len(test), float(constant))}

    res = nested_cross_validate([0, 100], fit, predict, y, groups, inner_k=2)
    assert res.chosen.tolist() == [1, 1, 1, 1, 0]
    assert res.inner_mae[0] == pytest.approx([400 / 7, 300 / 7])
    assert res.inner_mae[4] == pytest.approx([0.0, 100.0])
    assert res.out["forecast"].tolist() == [100.0] * 4 + [0.0] * 4
    per_fold = 2 * 2 + 1  # variants x inner folds + the refit
    for n, proposal in enumerate("abcde"):
        assert all(proposal not in seen for _, seen in fitted[n * per_fold : (n + 1) * per_fold])


def _arrays(position, weight, veto, status_quo):
    from accord.scenario.arrays import ScenarioArrays

    x = np.array(position, float)[:, None]
    return ScenarioArrays(
        x,
        np.ones_like(x),
        np.array(weight, float)[:, None],
        np.ones(x.shape, bool),
        np.array([0.0]),
        np.array([100.0]),
        np.array([status_quo], float),
        np.array(veto)[:, None],
    )


def test_choice_pivot_features_by_hand():
    """Positions 20 (veto, weight 1), 60 (veto, weight 3), 90 (weight 2): weighted median 60
    (cumulative 1, 4 >= 6/2), largest actor at 60; veto pivot clip(q, 20, 60)."""
    from accord.models.choice import choice_features

    names = ("at_weighted_median", "at_largest", "at_veto_pivot")
    for q, pivot in ((10, [1, 0, 0]), (40, [0, 0, 0]), (80, [0, 1, 0]), (np.nan, [0, 0, 0])):
        phi, c = choice_features(_arrays([20, 60, 90], [1, 3, 2], [True, True, False], q), names)
        assert phi[:, 0, 0].tolist() == [0, 1, 0] and phi[:, 0, 1].tolist() == [0, 1, 0]
        assert phi[:, 0, 2].tolist() == pivot
        assert c[0] == pytest.approx((20 + 180 + 180) / 6)
    no_veto, _ = choice_features(_arrays([20, 60, 90], [1, 3, 2], [False] * 3, 10), names)
    assert not no_veto[..., 2].any()


def test_choice_shrinkage_toward_compromise():
    """shrink = 0 is the compromise (here (20 + 180 + 180) / 6); shrink = 0.5 maps every
    quantile Q to c + (Q - c) / 2."""
    from accord.models.choice import choice_quantiles, shipped_coefficients

    arrays = _arrays([20, 60, 90], [1, 3, 2], [False] * 3, np.nan)
    c = (20 + 180 + 180) / 6
    coef = dict(shipped_coefficients())
    full, _ = choice_quantiles(arrays, {**coef, "shrink": 1.0})
    half, _ = choice_quantiles(arrays, {**coef, "shrink": 0.5})
    none, _ = choice_quantiles(arrays, {**coef, "shrink": 0.0})
    assert none == pytest.approx(np.full_like(none, c))
    assert half == pytest.approx(c + (full - c) / 2)


def test_stacked_static_models_equal_case_by_case(cases):
    """The backtest stacks one-issue scenarios for static models; per-issue models must agree."""
    some = [c for c in cases if c.scoreable][:40]
    arrays = [compile_scenario(c.scenario) for c in some]
    stacked, _ = stack_arrays(arrays, [c.scenario.actor_ids for c in some])
    for name in available_models():
        model = get_model(name)
        if model.dynamic or model.min_issues > 1:
            continue
        together = model.run(stacked).final
        alone = np.concatenate([model.run(a).final for a in arrays])
        assert together == pytest.approx(alone, abs=1e-6), name


def test_models_that_cannot_run_are_skipped_with_a_reason(tmp_path):
    """A multi-issue model on data without any proposal of two scoreable issues is skipped, and
    the reason names the single-issue proposals (not a silent skip)."""
    path = tmp_path / "single.tsv"
    path.write_text(HEADER + "\n".join([D2I1, D2I1.replace("d2", "d3")]) + "\n")
    bt = run_backtest(load_deu(path).cases, ["compromise", "exchange"])
    assert "single-issue proposals" in bt.results["exchange"].skipped
    assert bt.results["compromise"].forecast is not None


def test_nan_forecast_falls_back_to_the_plain_mean(tmp_path):
    path = tmp_path / "zero.tsv"
    header = "prnr\tisnr\tproc\tcounvte\tintro\tfinact\tpcom\tscom\tpde\tsde\tpfr\tsfr\trp\tout\n"
    path.write_text(header + "d1\td1i1\tCNS\tQMV\t01-02-99\t999\t0\t0\t30\t0\t90\t0\t\t50\n")
    bt = run_backtest(load_deu(path).cases, ["compromise"])
    res = bt.results["compromise"]
    assert res.forecast[0] == pytest.approx(40.0) and res.fallback.sum() == 1  # (0 + 30 + 90) / 3


def test_choice_model_on_hand_cases():
    unanimous = scenario([("a", 10), ("b", 50), ("c", 90)], [(x, "k", 30, 50) for x in "abc"])
    traj = get_model("choice").run(compile_scenario(unanimous))
    assert traj.final[0] == pytest.approx(30.0, abs=1e-6)  # every candidate sits at 30
    split = scenario([("a", 10), ("b", 10)], [("a", "k", 20, 50), ("b", "k", 80, 50)])
    traj = get_model("choice").run(compile_scenario(split))
    assert traj.final[0] == pytest.approx(50.0, abs=1e-6)  # symmetric mixture: median at the centre
    q = traj.details.quantiles
    assert q[0.05][0] < q[0.25][0] < q[0.5][0] < q[0.75][0] < q[0.95][0]
    batched = get_model("choice").run(compile_scenario(split).broadcast(3))
    assert batched.final.shape == (3, 1) and batched.final == pytest.approx(np.full((3, 1), traj.final[0]))


def test_cli_table_csv_groups_and_plot(capsys, tsv, tmp_path):
    plot = tmp_path / "bt.png"
    code = main(
        [
            "backtest",
            str(tsv),
            "-m",
            "compromise",
            "-m",
            "mean",
            "--by",
            "voting-rule",
            "--by",
            "wave",
            "--plot",
            str(plot),
            "--n-boot",
            "200",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "23.10" in out and "Unan" in out and plot.stat().st_size > 1000
    csv_out = tmp_path / "bt.csv"
    code = main(
        ["backtest", str(tsv), "-m", "compromise", "--by", "procedure", "-f", "csv", "-o", str(csv_out)]
    )
    lines = csv_out.read_text().splitlines()
    assert code == 0 and lines[0].startswith("group_by,group,model,n,mae,mae_lo,mae_hi")
    groups = {line.split(",")[1] for line in lines[1:]}
    assert groups == {"all", "COD", "CNS"}
    by_proc = [line.split(",") for line in lines[1:] if line.split(",")[0] == "procedure"]
    assert sum(int(r[3]) for r in by_proc) == 227


def test_cli_errors_are_readable(capsys, tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("prnr\tisnr\nx\ty\n")
    code = main(["backtest", str(bad)])
    err = capsys.readouterr().err
    assert code == 1 and "bad.tsv, row 1" in err and "Traceback" not in err


def test_plot_titles_mark_cross_validated_forecasts():
    from accord.evaluate.backtest import LOPO
    from accord.report.figures.backtest import panel_title

    errors = np.array([1.0, 2.0, 6.0])  # MAE (1 + 2 + 6) / 3 = 3
    assert panel_title("choice", errors, LOPO) == "choice: MAE 3.00 (n=3, CV)"
    assert panel_title("compromise", errors, "no fitting") == "compromise: MAE 3.00 (n=3)"


# --- multi-issue models, run per proposal -------------------------------------------------------

HEADER = "prnr\tisnr\tproc\tcounvte\tintro\tfinact\tpcom\tscom\tpep\tsep\tpdk\tsdk\tpfr\tsfr\tpde\tsde\trp\tout\n"
# proposal d1 (unanimity, consultation): two issues; fr has no salience on d1i2 and dk no
# position on d1i1, so each leaves that issue; d1i2's final act (2006) puts it under Nice votes
D1 = [
    "d1\td1i1\tCNS\tUnan\t01-02-99\t999\t100\t50\t\t\t\t\t40\t20\t0\t80\t0\t40",
    "d1\td1i2\tCNS\tUnan\t01-02-99\t01-06-06\t0\t60\t\t\t100\t90\t20\t\t50\t40\t\t70",
]
D2I1 = "d2\td2i1\tCOD\tQMV\t01-02-99\t999\t60\t50\t80\t50\t\t\t\t\t20\t50\t50\t30"


@pytest.fixture
def two_proposals(tmp_path):
    path = tmp_path / "two.tsv"
    path.write_text(HEADER + "\n".join([*D1, D2I1]) + "\n")
    return load_deu(path).cases


def test_proposal_grouping_by_hand(two_proposals):
    """d1 (2 issues) becomes one scenario, d2 (1 issue) none. By hand: actors = union
    {com, fr, de, dk}; stakes com both, fr d1i1 only, de both, dk d1i2 only; capabilities
    pre-Nice on d1i1 (com = largest = 10, fr 10, de 10) and Nice on d1i2 (com = largest = 29,
    de 29, dk 7); under unanimity every member state vetoes the issues it is on; status quo
    0 and none; the outcomes stay per issue (40, 70)."""
    from accord.evaluate.proposals import group_proposals

    (prop,) = group_proposals(two_proposals)
    assert prop.proposal_id == "d1" and prop.issue_ids == ["d1i1", "d1i2"]
    assert [c.outcome for c in prop.cases] == [40.0, 70.0]
    sc = prop.scenario
    assert set(sc.actor_ids) == {"com", "fr", "de", "dk"}
    arr = compile_scenario(sc)
    row = {a: sc.actor_ids.index(a) for a in sc.actor_ids}
    stake = {a: arr.stake[row[a]].tolist() for a in row}
    assert stake == {"com": [True, True], "fr": [True, False], "de": [True, True], "dk": [False, True]}
    cap = {a: [float(arr.capability[row[a], k]) for k in range(2) if stake[a][k]] for a in row}
    assert cap == {"com": [10.0, 29.0], "fr": [10.0], "de": [10.0, 29.0], "dk": [7.0]}
    veto = {a: arr.veto[row[a]].tolist() for a in row}
    assert veto == {"com": [False, False], "fr": [True, False], "de": [True, True], "dk": [False, True]}
    pos = {a: [float(arr.position[row[a], k]) for k in range(2) if stake[a][k]] for a in row}
    assert pos == {"com": [100.0, 0.0], "fr": [40.0], "de": [0.0, 50.0], "dk": [100.0]}
    sal = {a: [round(float(arr.salience[row[a], k]), 9) for k in range(2) if stake[a][k]] for a in row}
    assert sal == {"com": [0.5, 0.6], "fr": [0.2], "de": [0.8, 0.4], "dk": [0.9]}
    assert arr.status_quo[0] == 0.0 and np.isnan(arr.status_quo[1])


def test_exchange_runs_per_proposal_and_single_issue_proposals_are_not_applicable(two_proposals):
    """With 0 rounds the exchange forecast is its start outcome, the capability x salience
    weighted mean (exchange.md §2). By hand: d1i1 (100*500 + 40*200 + 0*800) / 1500 = 38.667;
    d1i2 (0*1740 + 50*1160 + 100*630) / 3530 = 34.278. d2i1 (single issue) gets no forecast."""
    bt = run_backtest(two_proposals, ["compromise", "exchange"], params={"rounds": 0})
    ex = bt.results["exchange"]
    assert ex.subset.tolist() == [True, True, False]
    assert ex.forecast[:2] == pytest.approx([58000 / 1500, 121000 / 3530])
    assert "single-issue proposals" in ex.not_applicable
    entry = summarize(bt, n_boot=200)["models"]["exchange"]
    assert entry["n"] == 2 and entry["subset"] == "multi-issue proposals" and entry["n_not_applicable"] == 1
    expected = (abs(58000 / 1500 - 40) + abs(121000 / 3530 - 70)) / 2
    assert entry["mae"] == pytest.approx(expected, abs=1e-4)
    assert entry["compromise_same_subset"]["n"] == 2
    assert entry["compromise_same_subset"]["mae"] == pytest.approx(expected, abs=1e-4)


def test_paired_comparison_on_the_same_subset():
    """Proposals a, a, b, b, c; c is single-issue. Compromise errors 1, 3, 5, 7, 1000; the
    subset model's 3, 5, 7, 9 on a and b. Compromise on the same subset: MAE 4, resampled MAEs
    between 2 (a twice) and 6 (b twice) -- the 1000 of c never enters; the paired difference is
    +2 in every resample. Compromise over all five issues: 1016 / 5."""
    from types import SimpleNamespace

    from accord.evaluate.backtest import Backtest, ModelResult

    cases = [SimpleNamespace(proposal_id=p) for p in "aabbc"]
    outcome = np.zeros(5)
    subset = np.array([True] * 4 + [False])
    results = {
        "compromise": ModelResult("compromise", np.array([1.0, 3, 5, 7, 1000]), fallback=np.zeros(5, bool)),
        "exchange": ModelResult(
            "exchange", np.array([3.0, 5, 7, 9, np.nan]), fallback=np.zeros(5, bool), subset=subset,
            subset_name="multi-issue proposals", not_applicable="single-issue proposals",
        ),
    }
    models = summarize(Backtest(cases, outcome, results), n_boot=300)["models"]
    assert models["compromise"]["n"] == 5 and models["compromise"]["mae"] == pytest.approx(203.2)
    ex = models["exchange"]
    assert ex["n"] == 4 and ex["mae"] == 6.0 and ex["n_proposals"] == 2 and ex["n_not_applicable"] == 1
    same = ex["compromise_same_subset"]
    assert same["n"] == 4 and same["mae"] == 4.0
    assert 2.0 <= same["mae_ci"][0] <= same["mae_ci"][1] <= 6.0
    assert ex["mae_diff_vs_compromise"] == 2.0 and ex["mae_diff_ci"] == [2.0, 2.0]


def test_exchange_without_rounds_is_compromise_on_every_multi_issue_proposal(cases):
    """The merged scenarios keep every weight: 0 exchange rounds reproduce the one-issue
    compromise forecasts (exchange.md §2) on all issues of multi-issue proposals; those are
    the issues whose proposal has at least 2 scoreable issues."""
    from collections import Counter

    from accord.evaluate.backtest import forecast_per_proposal

    scoreable = [c for c in cases if c.scoreable]
    size = Counter(c.proposal_id for c in scoreable)
    expected_subset = np.array([size[c.proposal_id] >= 2 for c in scoreable])
    forecast, subset = forecast_per_proposal(get_model("exchange", rounds=0), scoreable, seed=0)
    assert subset.tolist() == expected_subset.tolist()
    compromise = run_backtest(scoreable, ["compromise"]).results["compromise"].forecast
    assert forecast[subset] == pytest.approx(compromise[subset], abs=1e-9)
    assert np.isnan(forecast[~subset]).all()


def test_cli_exchange_reports_its_subset_and_compromise_there(capsys, tsv, cases):
    """``--model exchange`` alone: n = issues of proposals with >= 2 scoreable issues (counted
    here from the data), and compromise on exactly those issues, although not asked for; the
    one-issue reference numbers are unchanged when exchange runs beside them."""
    from collections import Counter

    scoreable = [c for c in cases if c.scoreable]
    size = Counter(c.proposal_id for c in scoreable)
    multi = np.array([size[c.proposal_id] >= 2 for c in scoreable])
    code = main(["backtest", str(tsv), "-m", "exchange", "--format", "json", "--n-boot", "200"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and list(out["models"]) == ["exchange"]
    ex = out["models"]["exchange"]
    assert ex["n"] == multi.sum() < 227 and ex["subset"] == "multi-issue proposals"
    assert ex["n_not_applicable"] == (~multi).sum()
    compromise = run_backtest(scoreable, ["compromise"])
    assert ex["compromise_same_subset"]["mae"] == pytest.approx(compromise.errors("compromise")[multi].mean(), abs=1e-4)
    code = main(["backtest", str(tsv), "-m", "compromise", "-m", "mean", "-m", "median", "-m", "exchange",
                 "--format", "json", "--n-boot", "200"])
    models = json.loads(capsys.readouterr().out)["models"]
    assert code == 0
    assert [round(models[m]["mae"], 2) for m in ("compromise", "mean", "median")] == [23.10, 23.23, 27.92]
    assert [models[m]["n"] for m in ("compromise", "mean", "median")] == [227] * 3
    assert models["exchange"]["compromise_same_subset"] == ex["compromise_same_subset"]


def test_zero_weight_issue_of_a_proposal_gets_the_plain_mean(tmp_path):
    """d1i2 has saliences 0 only: no weighted forecast, so the plain mean (0 + 30 + 90) / 3 = 40
    stands in (as for one-issue cases) and is counted as a fallback; d1i1 is forecast."""
    path = tmp_path / "zero.tsv"
    rows = [D1[0], "d1\td1i2\tCNS\tQMV\t01-02-99\t999\t0\t0\t\t\t\t\t30\t0\t90\t0\t\t50"]
    path.write_text(HEADER + "\n".join(rows) + "\n")
    res = run_backtest(load_deu(path).cases, ["exchange"]).results["exchange"]
    assert res.forecast[1] == pytest.approx(40.0) and res.fallback.tolist() == [False, True]
    assert np.isfinite(res.forecast[0])


# --- choice's fit in units per 100 of each issue's scale ----------------------------------------


def _rescaled(arrays, y, lower, upper):
    """Every issue mapped affinely from its scale onto [lower, upper] (arrays ``[A, I]``)."""
    span = arrays.upper - arrays.lower
    to = lambda v: lower + (v - arrays.lower) / span * (upper - lower)  # noqa: E731
    return arrays.replace(position=to(arrays.position), status_quo=to(arrays.status_quo),
                          lower=np.broadcast_to(lower, span.shape) * 1.0,
                          upper=np.broadcast_to(upper, span.shape) * 1.0), to(y)  # fmt: skip


def test_deu_scales_are_0_to_100(cases):
    """The premise of the shipped fit: on DEU, 'per 100 scale units' is the absolute unit (a
    dataset on other scales is handled by the fitter's per-100 distances)."""
    from accord.evaluate.stack import stacked_cases

    arrays, y, _ = stacked_cases(cases)
    assert len(y) == 227
    assert (arrays.lower == 0).all() and (arrays.upper == 100).all()


def test_choice_refit_reproduces_shipped_coefficients(cases):
    """The selection-and-fit procedure on all of DEU gives ``models/data/choice.json``."""
    from accord.evaluate.choice_cv import select_and_fit
    from accord.evaluate.fit_choice import VARIANTS
    from accord.evaluate.stack import stacked_cases
    from accord.models.choice import shipped_coefficients

    shipped = shipped_coefficients()
    arrays, y, groups = stacked_cases(cases)
    coef, mae = select_and_fit(arrays, y, groups)
    assert list(coef["beta"]) == list(shipped["beta"])
    for f, value in shipped["beta"].items():
        assert coef["beta"][f] == pytest.approx(value, rel=1e-7, abs=1e-9)
    for key in ("alpha_compromise", "scale", "shrink"):
        assert coef[key] == pytest.approx(shipped[key], rel=1e-7)
    cv = {v.label: round(float(m), 3) for v, m in zip(VARIANTS, mae, strict=True)}
    assert cv == shipped["fitted_on"]["cv_mae"]


@pytest.mark.parametrize("lower, upper", [(0.0, 1.0), (-5.0, 15.0)])
def test_choice_fit_on_rescaled_scales_recovers_the_coefficients(cases, lower, upper):
    """The same issues on 0..1 (or -5..15) scales: the same variant, coefficients and CV error
    as on DEU's 0..100 scales (``scale`` is per 100 scale units); CV MAE scales by S / 100."""
    from accord.evaluate.choice_cv import select_and_fit
    from accord.evaluate.fit_choice import fit_choice
    from accord.evaluate.stack import stacked_cases
    from accord.models.choice import ALL_FEATURES, shipped_coefficients

    arrays, y, groups = stacked_cases(cases)
    small, y_small = _rescaled(arrays, y, lower, upper)
    assert (small.upper - small.lower == upper - lower).all()
    for ridge in (0.1, 10.0):
        a, b = fit_choice(arrays, y, ALL_FEATURES, ridge), fit_choice(small, y_small, ALL_FEATURES, ridge)
        for f in ALL_FEATURES:
            assert b["beta"][f] == pytest.approx(a["beta"][f], rel=1e-8, abs=1e-10)
        assert b["alpha_compromise"] == pytest.approx(a["alpha_compromise"], rel=1e-8, abs=1e-10)
        assert b["scale"] == pytest.approx(a["scale"], rel=1e-8)
    shipped = shipped_coefficients()
    coef, mae = select_and_fit(small, y_small, groups)
    assert list(coef["beta"]) == list(shipped["beta"]) and coef["shrink"] == shipped["shrink"]
    for f, value in shipped["beta"].items():
        assert coef["beta"][f] == pytest.approx(value, rel=1e-8, abs=1e-10)
    assert coef["scale"] == pytest.approx(shipped["scale"], rel=1e-8)
    cv = list(shipped["fitted_on"]["cv_mae"].values())
    np.testing.assert_allclose(mae * 100 / (upper - lower), cv, atol=5e-4 + 1e-6)


def test_backtest_figure_leaves_the_matplotlib_backend_alone(tmp_path):
    """Importing and using the figure module must not switch a user's backend (it used to call
    ``matplotlib.use("Agg")`` at import, switching a notebook's backend)."""
    import subprocess
    import sys

    code = (
        "import matplotlib; matplotlib.use('pdf')\n"
        "import numpy as np\n"
        "from accord.evaluate.backtest import Backtest, ModelResult\n"
        "from accord.report.figures.backtest import plot_backtest\n"
        "class C: proposal_id = 'p'\n"
        "r = ModelResult('m', np.array([10.0, 20.0]))\n"
        f"plot_backtest(Backtest([C(), C()], np.array([12.0, 18.0]), {{'m': r}}), r'{tmp_path / 'b.png'}')\n"
        "print(matplotlib.get_backend())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "pdf"
    assert (tmp_path / "b.png").read_bytes()[:4] == b"\x89PNG"
