"""Decide's data files (#A/#P/#M/#D rows): loading, scales, power, errors, format detection."""

from __future__ import annotations

import numpy as np
import pytest

from accord.errors import ScenarioError
from accord.scenario import compile_scenario
from accord.scenario.io import load_scenario, read_raw

DECIDE = "anchor-data/decide-exchange-model"


def test_copenhagen_and_cop21_load(shared_dir):
    cop = load_scenario(shared_dir / DECIDE / "copenhagen.csv")
    assert (len(cop.actors), len(cop.issues), len(cop.positions)) == (11, 7, 75)  # SOURCES.md
    cop21 = load_scenario(shared_dir / "benchmark-data/decide-unfccc/cop21.csv")
    assert (len(cop21.actors), len(cop21.issues), len(cop21.positions)) == (15, 13, 181)
    # Russia has no #D rows on Commitments and Extra: no stake there
    arrays = compile_scenario(cop)
    russia, ids = cop.actor_ids.index("russia"), cop.issue_ids
    assert not arrays.stake[russia, ids.index("commitments")]
    assert not arrays.stake[russia, ids.index("extra")]
    assert arrays.stake.sum() == 75


def test_sample_keeps_scale_power_and_names(shared_dir):
    s = load_scenario(shared_dir / DECIDE / "sample_data.txt")
    assert s.salience_scale == 1
    hoogte = s.issue("tol_hoogte")
    assert (hoogte.scale.min, hoogte.scale.max) == (0.5, 7.0)
    assert set(hoogte.scale.anchors) == {0.5, 7.0}
    assert hoogte.name == "tol-hoogte"
    arrays = compile_scenario(s)
    gl = s.actor_ids.index("gl")
    # '#D' 'GL' 'tol-hoogte' 5.0 0.9 0.6  (position, salience, power)
    k = s.issue_ids.index("tol_hoogte")
    assert arrays.position[gl, k] == 5.0
    assert arrays.salience[gl, k] == pytest.approx(0.9)
    assert np.all(arrays.capability[gl] == 0.6)


def test_comments_and_unquoted_fields(shared_dir, tmp_path):
    # copenhagen_with_errors.csv uses #O and #/ rows and unquoted fields; fix its two errors
    text = (shared_dir / DECIDE / "copenhagen_with_errors.csv").read_text()
    fixed = text.replace("Control\t160\t", "Control\t60\t").replace("-0.247", "0.247")
    assert fixed != text
    path = tmp_path / "fixed.csv"
    path.write_text(fixed)
    s = load_scenario(path)
    assert (len(s.actors), len(s.issues)) == (11, 7)
    assert "Copenhagen negotiations" in (s.description or "")
    assert s.issue("newtreaty").description == "Copenhagen new treaty vs extension of Kyoto"


def test_broken_file_lists_problems_with_rows(shared_dir):
    with pytest.raises(ScenarioError) as info:
        load_scenario(shared_dir / DECIDE / "copenhagen_with_errors.csv")
    problems = info.value.problems
    by_row = {p.line: p for p in problems}
    # row 86: '#D Russia Control 160' (scale 0..100); row 87: China India's power -0.247
    assert set(by_row) == {86, 87}
    assert by_row[86].value == 160.0 and "position" in by_row[86].message
    assert "power" in by_row[87].message
    assert all(p.line_word == "row" for p in problems)
    assert "row 86" in str(info.value)


def test_bad_rows_are_reported_not_crashed(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "#A\tx\tX\n#A\ty\tY\n#P\tp\tP\n#P\tq\tQ\n#Z\twhat\n#D\ty\tq\tabc\t0.5\t1\n"
        "#D\tx\tnope\t50\t0.5\t1\n#D\ty\tp\t10\n#D\tx\tp\t20\t0.5\t1\n#D\tx\tp\t30\t0.5\t1\n"
        "#M\tq\t5\n"
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    by_row = {}
    for problem in info.value.problems:
        by_row.setdefault(problem.line, []).append(str(problem))
    assert "unknown row tag" in by_row[5][0]
    assert "a number" in by_row[6][0]
    assert "unknown issue id" in by_row[7][0]
    assert "too few fields" in by_row[8][0]
    assert "second position of x on p" in by_row[10][0]
    assert "one scale point" in by_row[11][0]


def test_semicolon_separated(tmp_path):
    path = tmp_path / "semi.txt"
    path.write_text(
        "'#A';'a';'A'\n'#A';'b';'B'\n'#P';'p';'P'\n'#P';'q';'Q'\n'#M';'p';0;'none'\n'#M';'p';10;'all'\n"
        "'#D';'a';'p';2,5;0,5;1\n'#D';'b';'p';10;1;1\n'#D';'a';'q';40;1;2\n'#D';'b';'q';60;1;1\n"
    )
    assert read_raw(path).data["issues"][0]["scale"] == {"min": 0.0, "max": 10.0,
                                                        "anchors": {0.0: "none", 10.0: "all"}}
    s = load_scenario(path)
    arrays = compile_scenario(s)
    assert arrays.position[0, 0] == 2.5
    assert (s.actor("a").capability, s.actor("a").capability_by_issue) == (1.0, {"q": 2.0})


def test_detection_does_not_misfire(shared_dir, tmp_path):
    assert read_raw(shared_dir / DECIDE / "sample_data.txt").data["title"] == "sample_data"
    from accord.scenario.io import detect_format

    for name in ("sample_data.txt", "copenhagen.csv", "cop21.csv", "copenhagen_with_errors.csv"):
        path = shared_dir / DECIDE / name
        assert detect_format(path, path.read_text()[:65536]).name == "decide"
    others = [
        *sorted((shared_dir / "anchor-data/ktab/inputs").glob("*.csv")),
        shared_dir / "anchor-data/BDM_DecisionModel_Replication/ExampleActors.csv",
        shared_dir / "anchor-data/bdm-scholz-expected-utility-model/Sultan.csv",
    ]
    long_csv = tmp_path / "long.csv"
    long_csv.write_text("actor,issue,position,salience,capability\na,p,10,50,1\n")
    for path in [*others, long_csv]:
        assert detect_format(path, path.read_text(errors="replace")[:65536]).name != "decide", path
