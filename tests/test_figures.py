"""Charts that work: axes keep their width, legends sit outside them, files are named as asked,
colours stay apart for many series, and issues on different scales share an axis by position."""

from __future__ import annotations

import itertools
import math

import pytest

from accord.cli.main import main
from accord.report.figures.forecast import draw_forecasts, draw_outcome_paths, draw_trajectory, scaler
from accord.report.figures.palette import TEN, distinct
from accord.runs import ForecastSpec, execute
from accord.scenario import Issue

from helpers import scenario as small_scenario


def drawn(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()  # lays out as saving does (constrained layout, legends)
    return fig


def boxes(fig):
    """Visible axes and the legends, in figure pixels."""
    renderer = fig.canvas.get_renderer()
    axes = [ax.get_window_extent(renderer) for ax in fig.axes if ax.get_visible()]
    legends = [leg.get_window_extent(renderer) for leg in fig.legends]
    return axes, legends


def assert_legends_outside(fig):
    axes, legends = boxes(fig)
    assert legends, "no legend"
    for legend, ax in itertools.product(legends, axes):
        assert not legend.overlaps(ax), "a legend covers an axes"
    for ax in fig.axes:  # and no legend inside any axes
        assert ax.get_legend() is None


@pytest.fixture(scope="module")
def forecast():
    return execute(ForecastSpec(models=["compromise", "eum", "exchange", "smp", "weighted-median"], draws=30))


def test_trajectory_panels_keep_their_width(forecast):
    """Ten issues, eleven actors: each panel at least 60% of its column's share of the figure
    (the old end-of-line labels left a few pixels), the actors named in a legend beside them."""
    fig = drawn(draw_trajectory(forecast, "eum"))
    cols = 3
    width = fig.bbox.width
    axes, _ = boxes(fig)
    assert len(axes) == 10
    assert all(box.width > 0.6 * width / cols for box in axes)
    assert_legends_outside(fig)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == [*forecast.scenario.actor_ids, "outcome"]


def test_combined_outcome_paths_name_every_dynamic_model(forecast):
    fig = drawn(draw_outcome_paths(forecast, ["eum", "exchange", "smp"]))
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["eum", "exchange", "smp", "status quo"]
    assert_legends_outside(fig)
    axes, _ = boxes(fig)
    assert all(box.width > 0.6 * fig.bbox.width / 3 for box in axes)


def test_forecast_chart_has_every_model_and_its_band(forecast):
    fig = drawn(draw_forecasts(forecast))
    assert_legends_outside(fig)
    (ax,) = fig.axes
    assert ax.get_window_extent().width > 0.5 * fig.bbox.width
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    # models in the registry's display order (static first), whatever order the spec listed them in
    assert labels == ["stakeholders' positions", "status quo", "compromise", "weighted-median", "eum",
                      "exchange", "smp"]
    bands = [line for line in ax.get_lines() if line.get_alpha() == 0.45]
    assert len(bands) == 5 * 10  # one band per model and issue
    # compromise's band on territory spans its 5% and 95% quantiles over the draws
    summary = forecast.draws_summary("compromise").loc["territory"]
    first = bands[0].get_xdata()
    assert list(first) == pytest.approx([summary["q05"], summary["q95"]])


def test_forecast_chart_without_draws_has_no_bands():
    fc = execute(ForecastSpec(models=["compromise", "median"]))
    (ax,) = drawn(draw_forecasts(fc)).axes
    assert not [line for line in ax.get_lines() if line.get_alpha() == 0.45]


def test_issues_on_different_scales_are_drawn_as_shares_of_their_range():
    narrow = Issue.model_validate({"id": "a", "name": "a", "scale": {"min": 0, "max": 50}})
    wide = Issue.model_validate({"id": "b", "name": "b", "scale": {"min": 0, "max": 100}})
    to_axis, label, limits = scaler([narrow, wide])
    assert float(to_axis(narrow, 25)) == 50 and float(to_axis(wide, 25)) == 25  # half of 0-50, a quarter of 0-100
    assert limits == (0, 100) and "share of each issue's own scale" in label
    same, label, limits = scaler([wide, wide])
    assert float(same(wide, 25)) == 25 and limits == (0, 100) and "0–100" in label


def test_mixed_scales_chart_labels_each_scale():
    s = small_scenario([("a", 60), ("b", 40)], [("a", "x", 10, 50), ("b", "x", 40, 50), ("a", "y", 20, 50),
                                                ("b", "y", 90, 50)],
                       issues=[{"id": "x", "name": "x", "scale": {"min": 0, "max": 50}}, {"id": "y", "name": "y"}])
    fc = execute(ForecastSpec(models=["compromise"]), s)
    (ax,) = drawn(draw_forecasts(fc)).axes
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert any("(0–50)" in t for t in ticks) and any("(0–100)" in t for t in ticks)
    point = [c for c in ax.collections if c.get_label() == "compromise"][0]
    x = point.get_offsets()[0][0]
    expected = fc.outcomes().loc[fc.scenario.issue_ids[0], "compromise"] / 50 * 100
    assert x == pytest.approx(expected)


def test_many_series_stay_apart():
    assert distinct(10) == list(TEN)
    for n in (11, 30, 40):
        rgb = [tuple(int(h[i:i + 2], 16) for i in (1, 3, 5)) for h in distinct(n)]
        assert len(set(rgb)) == n
        assert min(math.dist(a, b) for a, b in itertools.combinations(rgb, 2)) > 30


def test_no_green_and_red_for_directions():
    """The single-series colour (effects, differences) is neither green nor red."""
    from accord.report.figures.palette import NEUTRAL

    r, g, b = (int(NEUTRAL[i:i + 2], 16) for i in (1, 3, 5))
    assert b > r and b > g


def test_plot_with_several_models_writes_the_file_as_named(capsys, tmp_path):
    path = tmp_path / "all.png"
    assert main(["forecast", "-m", "compromise", "-m", "eum", "-m", "smp", "--plot", str(path)]) == 0
    assert path.stat().st_size > 10_000 and sorted(p.name for p in tmp_path.iterdir()) == ["all.png"]
    capsys.readouterr()
    traj = tmp_path / "rounds.svg"
    assert main(["forecast", "-m", "eum", "-m", "smp", "--trajectory", "--plot", str(traj)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["all.png", "rounds-eum.svg", "rounds-smp.svg", "rounds.svg"]
    err = capsys.readouterr().err
    assert f"wrote {traj}" in err


def test_one_dynamic_model_trajectory_goes_to_the_file_named(capsys, tmp_path):
    path = tmp_path / "eum.png"
    assert main(["forecast", "-m", "eum", "--trajectory", "--plot", str(path)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["eum.png"]
