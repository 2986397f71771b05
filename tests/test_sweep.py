"""Sweeps: task layout, the same numbers in-process and on Dask, resume after a crash."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml

import accord.experiments.sweep as sweep_module
from accord.cli.main import main
from accord.errors import AccordError
from accord.experiments.sweep import load_results, make_spec, run_sweep
from accord.scenario import Scenario

WHATIFS = ["baseline", {"id": "half-a", "set": ["capability[a] *= 0.5"]},
           {"grid": {"set": ["position[{who}, x] += {step}"], "who": ["a", "b"], "step": [5, -5]}}]


def _scenario() -> Scenario:
    return Scenario.model_validate({
        "id": "two", "title": "two",
        "actors": [{"id": "a", "name": "A", "capability": 60, "capability_uncertainty": 10},
                   {"id": "b", "name": "B", "capability": 40}],
        "issues": [{"id": "x", "name": "X", "status_quo": 50}, {"id": "y", "name": "Y"}],
        "positions": [
            {"actor": "a", "issue": "x", "position": 0, "salience": 100, "position_uncertainty": 10},
            {"actor": "b", "issue": "x", "position": 100, "salience": 100},
            {"actor": "a", "issue": "y", "position": 30, "salience": 50},
            {"actor": "b", "issue": "y", "position": 70, "salience": 50, "position_uncertainty": 10},
        ],
    })


def _spec(draws: int = 60):
    return make_spec([_scenario()], WHATIFS, ["compromise", "median"], draws, seed=11)


def test_tasks_and_grid():
    tasks = _spec().tasks()
    assert len(tasks) == (2 + 4) * 2 and [t.index for t in tasks] == list(range(12))
    assert [t.whatif.id for t in tasks[::2]] == ["baseline", "half-a", "grid[who=a,step=5]", "grid[who=a,step=-5]",
                                                  "grid[who=b,step=5]", "grid[who=b,step=-5]"]
    with pytest.raises(AccordError, match="no named what-if 'nope'"):
        make_spec([_scenario()], ["nope"], ["compromise"], 10, 0).tasks()


def test_results_by_hand_and_common_random_numbers(tmp_path):
    run_sweep(_spec(), tmp_path / "r.csv")
    frame = load_results(tmp_path / "r.csv")
    base = frame[(frame.whatif == "baseline") & (frame.model == "compromise")]
    assert (base.diff_q05 == 0).all() and (base.diff_q95 == 0).all()
    # every task of the scenario sees the same draws: the baseline summaries agree across what-ifs
    comp = frame[frame.model == "compromise"]
    assert comp.groupby("issue")["base_median"].nunique().eq(1).all()
    # moving b (alone at 100 on x) by -5 moves the compromise by -5 * w_b / (w_a + w_b) < 0 in every draw
    moved = frame[(frame.whatif == "grid[who=b,step=-5]") & (frame.model == "compromise") & (frame.issue == "x")]
    assert moved.diff_q95.iloc[0] < 0 and moved.diff_q05.iloc[0] > -5


def test_same_numbers_in_process_and_on_two_dask_workers(tmp_path):
    run_sweep(_spec(), tmp_path / "local.csv")
    run_sweep(_spec(), tmp_path / "dask.parquet", workers=2)
    local, dask = load_results(tmp_path / "local.csv"), load_results(tmp_path / "dask.parquet")
    pd.testing.assert_frame_equal(local, dask)
    assert not (tmp_path / "dask.parquet.partial.csv").exists()


def test_resume_after_a_crash(tmp_path, monkeypatch):
    fresh = tmp_path / "fresh.csv"
    run_sweep(_spec(), fresh)
    crashed = tmp_path / "crashed.csv"
    real = sweep_module.run_task

    def crash_on_task_5(task, *args):
        if task.index == 5:
            raise RuntimeError("simulated crash")
        return real(task, *args)

    monkeypatch.setattr(sweep_module, "run_task", crash_on_task_5)
    with pytest.raises(RuntimeError, match="simulated crash"):
        run_sweep(_spec(), crashed)
    monkeypatch.setattr(sweep_module, "run_task", real)
    journal = sweep_module.journal_path(crashed)
    assert not crashed.exists() and journal.exists()  # no output until every task is done
    with journal.open("a") as handle:  # and a torn write of the next task
        handle.write('{"task": 5, "scenario": "two", "whatif": "half-a", "model": "med')
    with pytest.raises(AccordError, match="--resume"):
        run_sweep(_spec(), crashed)
    again = run_sweep(_spec(), crashed, resume=True)
    assert (again.skipped, again.ran) == (5, 7)
    pd.testing.assert_frame_equal(load_results(crashed), load_results(fresh))
    assert run_sweep(_spec(), crashed, resume=True).ran == 0
    with pytest.raises(AccordError, match="differs from this sweep"):
        run_sweep(make_spec([_scenario()], ["baseline"], ["mean"], 60, 11), crashed, resume=True)


def test_sweep_command_with_a_file(capsys, tmp_path):
    (tmp_path / "two.yaml").write_text(yaml.safe_dump(json.loads(_scenario().model_dump_json(exclude_none=True))))
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(
        {"scenarios": ["two.yaml"], "whatifs": WHATIFS, "models": ["compromise"], "draws": 40, "seed": 3}))
    out_file = tmp_path / "out.parquet"
    code = main(["sweep", str(tmp_path / "sweep.yaml"), "-o", str(out_file)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "6 tasks run" in out and len(load_results(out_file)) == 6 * 2
    code = main(["sweep", str(tmp_path / "sweep.yaml"), "-o", str(out_file), "--resume"])
    out, _ = capsys.readouterr()
    assert code == 0 and "0 tasks run, 6 already done" in out
    code = main(["sweep", str(tmp_path / "sweep.yaml"), "-o", str(tmp_path / "out.txt")])
    _, err = capsys.readouterr()
    assert code == 1 and ".csv or .parquet" in err


def _two_scenarios() -> list[Scenario]:
    first = _scenario()
    data = json.loads(first.model_dump_json(exclude_none=True))
    data["id"] = "two-b"
    data["positions"][1]["position"] = 80  # b moves on x: a different scenario with other draws
    return [first, Scenario.model_validate(data)]


def test_chunks_never_mix_scenarios_and_keep_task_order():
    tasks = make_spec(_two_scenarios(), WHATIFS, ["compromise", "median"], 10, 0).tasks()
    assert len(tasks) == 24  # 2 scenarios x 6 what-ifs x 2 models
    groups = sweep_module.chunked(tasks, 5)
    assert [[t.index for t in g] for g in groups] == [
        [0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11], [12, 13, 14, 15, 16], [17, 18, 19, 20, 21], [22, 23]]
    assert all(len({t.scenario_index for t in g}) == 1 for g in groups)
    # about four jobs per worker thread, at most 64 tasks, at least one
    assert sweep_module.chunk_size(3000, 2) == 64
    assert sweep_module.chunk_size(24, 2) == 3 and sweep_module.chunk_size(1, 8) == 1
    with pytest.raises(AccordError, match="chunk must be at least 1"):
        run_sweep(make_spec(_two_scenarios(), ["baseline"], ["mean"], 10, 0), "x.csv", chunk=0)


def test_chunked_dask_run_matches_in_process_and_resumes_by_task(tmp_path, capsys):
    scenarios = _two_scenarios()
    spec = make_spec(scenarios, WHATIFS, ["compromise", "median"], 50, seed=5)
    fresh = tmp_path / "fresh.csv"
    run_sweep(spec, fresh)
    # a crash in the middle of a chunk's write: tasks 0-6 complete, task 7 has one of its two rows
    # and the second is torn
    crashed = tmp_path / "crashed.csv"
    journal = sweep_module._Journal(sweep_module.journal_path(crashed))
    journal.write(load_results(fresh).iloc[: 2 * 7 + 1])
    journal.close()
    with sweep_module.journal_path(crashed).open("a") as handle:
        handle.write('{"task": 7, "scena')
    for n, scenario in enumerate(scenarios):
        (tmp_path / f"s{n}.yaml").write_text(yaml.safe_dump(json.loads(scenario.model_dump_json(exclude_none=True))))
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(
        {"scenarios": ["s0.yaml", "s1.yaml"], "whatifs": WHATIFS, "models": ["compromise", "median"],
         "draws": 50, "seed": 5}, sort_keys=False))
    code = main(["sweep", str(tmp_path / "sweep.yaml"), "-o", str(crashed), "--resume", "--workers", "2",
                 "--chunk", "4"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "17 tasks run, 7 already done" in out
    pd.testing.assert_frame_equal(load_results(crashed), load_results(fresh))


def _certain(b_on_x: float, issues: tuple[str, str] = ("x", "y"), id: str = "certain") -> Scenario:
    """No stated uncertainty, so every draw is the scenario itself and the compromise is exact."""
    return Scenario.model_validate({
        "id": id, "title": id,
        "actors": [{"id": "a", "name": "A", "capability": 60}, {"id": "b", "name": "B", "capability": 40}],
        "issues": [{"id": i, "name": i.upper()} for i in issues],
        "positions": [
            {"actor": "a", "issue": "x", "position": 0, "salience": 100},
            {"actor": "b", "issue": "x", "position": b_on_x, "salience": 100},
            {"actor": "a", "issue": "y", "position": 30, "salience": 50},
            {"actor": "b", "issue": "y", "position": 70, "salience": 50},
        ],
    })


def test_a_changed_scenario_of_the_same_id_is_not_served_from_the_cache(tmp_path):
    # compromise on x = (60 * 1 * 0 + 40 * 1 * b_x) / (60 + 40): b_x = 100 -> 40; b_x = 50 -> 20
    for b_x, expected, name in ((100.0, 40.0, "first.csv"), (50.0, 20.0, "second.csv")):
        run_sweep(make_spec([_certain(b_x)], ["baseline"], ["compromise"], 5, seed=1), tmp_path / name)
        frame = load_results(tmp_path / name)
        assert frame.loc[frame.issue == "x", "median"].iloc[0] == pytest.approx(expected)


def test_results_keep_each_scenarios_own_issue_order(tmp_path):
    scenarios = [_certain(100.0), _certain(100.0, ("y", "x"), "reversed")]
    run_sweep(make_spec(scenarios, ["baseline"], ["compromise"], 5, seed=1), tmp_path / "r.csv")
    frame = load_results(tmp_path / "r.csv")
    assert frame.loc[frame.scenario == "certain", "issue"].tolist() == ["x", "y"]
    assert frame.loc[frame.scenario == "reversed", "issue"].tolist() == ["y", "x"]
    # y: (60 * 0.5 * 30 + 40 * 0.5 * 70) / (30 + 20) = 46
    assert frame.loc[frame.scenario == "reversed", "median"].tolist() == pytest.approx([46.0, 40.0])


@pytest.mark.parametrize(("entry", "words"), [
    ({"draws": "many"}, "draws: expected a whole number"),
    ({"draws": 2.5}, "draws: expected a whole number"),
    ({"seed": -1}, "seed: expected a whole number"),
    ({"models": 3}, "models: expected a list"),
    ({"params": [1, 2]}, "params: expected a mapping"),
    ({"scenarios": [7]}, "scenarios: expected file paths or built-in names"),
])
def test_bad_sweep_files_are_user_errors(tmp_path, entry, words):
    (tmp_path / "two.yaml").write_text(yaml.safe_dump(json.loads(_scenario().model_dump_json(exclude_none=True))))
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump({"scenarios": ["two.yaml"], "models": ["compromise"], **entry}))
    with pytest.raises(AccordError, match=words):
        sweep_module.load_spec(path)
    path.write_bytes(b"scenarios: [\xff]\n")
    with pytest.raises(AccordError, match="cannot read"):
        sweep_module.load_spec(path)


def test_a_single_name_reads_as_a_list(tmp_path):
    (tmp_path / "two.yaml").write_text(yaml.safe_dump(json.loads(_scenario().model_dump_json(exclude_none=True))))
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump({"scenarios": "two.yaml", "models": "compromise", "whatifs": "baseline"}))
    spec = sweep_module.load_spec(path)
    assert [s.id for s in spec.scenarios] == ["two"] and spec.models == ["compromise"]
    assert [t.whatif.id for t in spec.tasks()] == ["baseline"]


def test_a_what_if_that_does_not_fit_the_scenario_fails_before_any_work(tmp_path):
    spec = make_spec([_scenario()], ["baseline", {"id": "ghost", "set": ["capability[zz] *= 2"]}],
                     ["compromise"], 5, seed=1)
    with pytest.raises(AccordError, match="unknown actor 'zz'"):
        run_sweep(spec, tmp_path / "r.csv")
    assert not (tmp_path / "r.csv").exists()


def test_expression_errors_survive_the_trip_back_from_a_dask_worker():
    import pickle

    from accord.experiments.expr import ExpressionError

    err = ExpressionError("capability[zz] *= 2", 0, "unknown actor 'zz'", "what-if")
    back = pickle.loads(pickle.dumps(err))
    assert isinstance(back, ExpressionError) and str(back) == str(err) and back.pos == 0


def test_ids_that_look_like_missing_values_survive_the_journal(tmp_path):
    # pandas reads NA, None, null... as NaN by default: an issue 'NA' or a what-if 'None' came back
    # as NaN, and --resume then declared the journal's tasks foreign to the sweep
    data = json.loads(_certain(100.0).model_dump_json())
    data["issues"][1]["id"] = "NA"
    for p in data["positions"]:
        p["issue"] = "NA" if p["issue"] == "y" else p["issue"]
    spec = make_spec([Scenario.model_validate(data)], ["baseline", {"id": "None", "set": ["capability[a] *= 1"]}],
                     ["compromise"], 5, seed=1)
    run_sweep(spec, tmp_path / "r.csv")
    frame = load_results(tmp_path / "r.csv")
    assert frame.issue.tolist() == ["x", "NA", "x", "NA"] and frame.whatif.tolist() == ["baseline"] * 2 + ["None"] * 2
    assert frame.note.tolist() == [""] * 4
    # NA: (60 * 0.5 * 30 + 40 * 0.5 * 70) / 50 = 46, unchanged by the no-op what-if
    assert frame.loc[frame.issue == "NA", "median"].tolist() == pytest.approx([46.0, 46.0])
    assert run_sweep(spec, tmp_path / "r.csv", resume=True).ran == 0
