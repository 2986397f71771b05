"""Run history from the command line: ``--save``, ``accord runs list/show/compare``.

Every test uses a SQLite file under ``tmp_path`` (and points ``ACCORD_DB`` there too), never the
user's data folder. Expected outcomes are worked out by hand or taken from the commands' own JSON
output of each run, independently of the store.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from accord.cli.main import main
from accord.scenario.io.writers import write_scenario

from helpers import scenario


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    monkeypatch.setenv("ACCORD_DB", f"sqlite:///{tmp_path / 'default.sqlite'}")
    return url


@pytest.fixture
def three(tmp_path: Path) -> str:
    """Three actors on two issues; compromise by hand: sum(c*s*x) / sum(c*s)."""
    path = tmp_path / "three.yaml"
    write_scenario(scenario(
        [("a", 50), ("b", 30), ("c", 20)],
        [("a", "x", 10, 50), ("b", "x", 90, 60), ("c", "x", 40, 100),
         ("a", "y", 80, 40), ("b", "y", 20, 80), ("c", "y", 60, 50)],
    ), path)
    return str(path)


# x: (50*50*10 + 30*60*90 + 20*100*40) / (50*50 + 30*60 + 20*100) = 267000 / 6300
# y: (50*40*80 + 30*80*20 + 20*50*60) / (50*40 + 30*80 + 20*50) = 268000 / 5400
COMPROMISE = {"x": 267000 / 6300, "y": 268000 / 5400}
MEDIAN = {"x": 40.0, "y": 60.0}  # unweighted median of the three positions


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def saved_id(err: str) -> int:
    words = err.split()
    return int(words[words.index("run") + 1])


def test_save_then_show_round_trips_the_outcomes(capsys, db, three):
    code, printed, err = run(capsys, "forecast", three, "-m", "compromise", "-m", "median", "-f", "json",
                             "--seed", "4", "--save", "--db", db)
    assert code == 0, err
    run_id = saved_id(err)
    assert f"saved run {run_id}" in err and "t v1" in err
    data = json.loads(printed)
    for issue in ("x", "y"):
        assert data["models"]["compromise"]["issues"][issue]["outcome"] == pytest.approx(COMPROMISE[issue])
        assert data["models"]["median"]["issues"][issue]["outcome"] == pytest.approx(MEDIAN[issue])

    code, shown, err = run(capsys, "runs", "show", str(run_id), "--format", "json", "--db", db)
    assert code == 0, err
    assert json.loads(shown) == data  # exactly what the forecast printed

    code, table, err = run(capsys, "runs", "show", str(run_id), "--db", db)
    assert code == 0, err
    assert f"run {run_id}" in table and "seed 4" in table
    for value in (*COMPROMISE.values(), *MEDIAN.values()):
        assert f"{value:.1f}" in table  # 42.4, 49.6, 40.0, 60.0 in the re-rendered forecast table

    code, listed, err = run(capsys, "runs", "list", "--format", "json", "--db", db)
    assert code == 0, err
    (entry,) = json.loads(listed)
    assert (entry["id"], entry["kind"], entry["scenario_id"], entry["version"]) == (run_id, "forecast", "t", 1)
    assert (entry["models"], entry["seed"], entry["draws"]) == (["compromise", "median"], 4, None)
    assert not (Path(db.removeprefix("sqlite:///")).parent / "default.sqlite").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["forecast", "THREE", "-m", "compromise", "--seed", "1"],
        ["whatif", "THREE", "--set", "capability[a] = 10", "--draws", "5", "--seed", "3", "-m", "median"],
        ["deal", "28-point", "geneva-19"],
    ],
)
def test_save_does_not_change_what_the_commands_print(capsys, db, three, args):
    args = [three if a == "THREE" else a for a in args]
    _, plain, _ = run(capsys, *args)
    code, saved, err = run(capsys, *args, "--save", "--db", db)
    assert code == 0, err
    assert saved == plain and "saved run" in err and "saved run" not in saved


def test_the_table_of_a_reopened_forecast_with_draws_is_the_forecast_table(capsys, db, three):
    args = ["forecast", three, "-m", "compromise", "-m", "eum", "--rounds", "3", "--draws", "20", "--seed", "9",
            "-e", "x >= 40"]
    _, table, _ = run(capsys, *args)
    code, _, err = run(capsys, *args, "--save", "--db", db)
    assert code == 0, err
    code, shown, _ = run(capsys, "runs", "show", str(saved_id(err)), "--db", db)
    assert code == 0
    assert shown.splitlines()[2:] == table.splitlines()  # after the run's two header lines


def test_compare_reports_per_model_and_issue_differences_and_settings(capsys, db, three):
    outputs, ids = [], []
    for seed, rounds in (("1", "2"), ("7", "6")):
        code, out, err = run(capsys, "forecast", three, "-m", "compromise", "-m", "exchange-random",
                             "--seed", seed, "--rounds", rounds, "--label", f"try {seed}", "-f", "json",
                             "--save", "--db", db)
        assert code == 0, err
        outputs.append(json.loads(out))
        ids.append(saved_id(err))
    a, b = outputs
    expected = {
        model: {issue: b["models"][model]["issues"][issue]["outcome"] - a["models"][model]["issues"][issue]["outcome"]
                for issue in ("x", "y")}
        for model in ("compromise", "exchange-random")
    }
    assert expected["compromise"] == {"x": 0.0, "y": 0.0}
    assert abs(expected["exchange-random"]["x"]) > 0.05  # the settings matter, so the check has teeth

    code, out, err = run(capsys, "runs", "compare", str(ids[0]), str(ids[1]), "-f", "json", "--db", db)
    assert code == 0, err
    result = json.loads(out)
    for model, per_issue in expected.items():
        for issue, diff in per_issue.items():
            got = result["values"][model][issue]
            assert got["a"] == a["models"][model]["issues"][issue]["outcome"]
            assert got["b"] == b["models"][model]["issues"][issue]["outcome"]
            assert got["difference"] == pytest.approx(diff, abs=1e-12)
    assert result["differences"]["seed"] == [1, 7]
    assert result["differences"]["params"] == {"rounds": [2, 6]}
    assert result["differences"]["label"] == ["try 1", "try 7"]
    assert "scenario" not in result["differences"]  # the same scenario version

    code, table, _ = run(capsys, "runs", "compare", str(ids[0]), str(ids[1]), "--db", db)
    assert code == 0
    assert "seed: 1 → 7" in table and "param rounds: 2 → 6" in table and "label: try 1 → try 7" in table
    diff_x = expected["exchange-random"]["x"]
    assert f"{round(diff_x, 1) + 0.0:+.1f}" in table


def test_compare_notes_a_new_scenario_version(capsys, db, three, tmp_path):
    changed = tmp_path / "changed.yaml"
    changed.write_text(Path(three).read_text().replace("position: 10", "position: 30"))
    ids = []
    for path in (three, str(changed)):
        code, _, err = run(capsys, "forecast", path, "-m", "compromise", "--save", "--db", db)
        assert code == 0, err
        ids.append(saved_id(err))
    code, out, _ = run(capsys, "runs", "compare", *map(str, ids), "-f", "json", "--db", db)
    result = json.loads(out)
    assert code == 0 and result["differences"]["scenario"] == ["t v1", "t v2"]
    # actor a moved 10 -> 30 on x: the compromise moves by 20 * 50*50 / 6300
    assert result["values"]["compromise"]["x"]["difference"] == pytest.approx(20 * 2500 / 6300)
    assert result["values"]["compromise"]["y"]["difference"] == pytest.approx(0.0, abs=1e-12)
    code, out, _ = run(capsys, "runs", "list", "--scenario", "t", "-f", "json", "--db", db)
    assert [r["version"] for r in json.loads(out)] == [2, 1]


def test_whatif_and_deal_runs_are_saved_with_their_json(capsys, db):
    big = str(2**128 - 1)  # seeds past 64 bits (SeedSequence takes them) are kept whole
    code, printed, err = run(capsys, "whatif", "--set", "capability[us] = 0.5 * capability[us]", "--draws", "10",
                             "-m", "compromise", "-f", "json", "--save", "--db", db, "--seed", big)
    assert code == 0, err
    whatif = json.loads(printed)
    assert whatif["seed"] == 2**128 - 1
    _, shown, _ = run(capsys, "runs", "show", str(saved_id(err)), "-f", "json", "--db", db)
    assert json.loads(shown) == whatif
    _, listed, _ = run(capsys, "runs", "list", "-f", "json", "--db", db)
    assert json.loads(listed)[0]["seed"] == whatif["seed"]

    code, printed, err = run(capsys, "deal", "28-point", "-f", "json", "--save", "--db", db)
    assert code == 0, err
    deal = json.loads(printed)
    deal_id = saved_id(err)
    _, shown, _ = run(capsys, "runs", "show", str(deal_id), "-f", "json", "--db", db)
    assert json.loads(shown) == deal
    code, table, _ = run(capsys, "runs", "show", str(deal_id), "--db", db)
    assert code == 0 and "28-point" in table and f"{deal['results']['28-point']['actors']['us']['gain']:+.1f}" in table


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["runs", "show", "999"], "no run 999"),
        (["runs", "compare", "1", "999"], "no run 999"),
    ],
)
def test_unknown_run_ids_are_readable_errors(capsys, db, three, args, words):
    code, _, err = run(capsys, "forecast", three, "-m", "median", "--save", "--db", db)
    assert code == 0, err
    code, out, err = run(capsys, *args, "--db", db)
    assert code == 1 and words in err and "accord runs list" in err and "Traceback" not in out + err


def test_bad_database_urls_are_readable_errors(capsys, three, tmp_path):
    code, out, err = run(capsys, "runs", "list", "--db", "not a url")
    assert code == 1 and "not a database URL" in err and "Traceback" not in out + err
    code, out, err = run(capsys, "forecast", three, "-m", "median", "--save", "--db", "nonsense")
    assert code == 1 and "not a database URL" in err and out == ""  # fails before any output
    missing = tmp_path / "nothing-here.sqlite"
    code, _, err = run(capsys, "runs", "list", "--db", f"sqlite:///{missing}")
    assert code == 1 and "no run history at" in err and not missing.exists()


def test_accord_db_is_the_default_database(capsys, tmp_path, monkeypatch, three):
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    monkeypatch.setenv("ACCORD_DB", url)
    code, _, err = run(capsys, "forecast", three, "-m", "median", "--save")
    assert code == 0 and url in err
    with sqlite3.connect(tmp_path / "env.sqlite") as conn:
        assert conn.execute("select count(*) from runs").fetchone()[0] == 1


def test_a_failed_save_stores_neither_the_version_nor_the_run(tmp_path):
    from sqlalchemy.exc import StatementError

    from accord.store import Store

    store = Store(f"sqlite:///{tmp_path / 'h.sqlite'}")
    scn = scenario([("a", 1)], [("a", "x", 1, 1)])
    # results that cannot be stored as JSON fail after the version's INSERT, inside the transaction
    with pytest.raises(StatementError, match="not JSON serializable"):
        store.save_run(scn, "cli", "forecast", ["m"], {}, {"bad": object()})
    assert store.versions("t") == [] and store.runs() == []
    saved = store.save_run(scn, "cli", "forecast", ["m"], {"rounds": 2}, {"ok": 1}, seed=2**100)
    assert (saved.version, store.run(saved.id).seed, store.run(saved.id).params) == (1, 2**100, {"rounds": 2})
