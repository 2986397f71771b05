"""The command line as a user runs it: exit codes, output shapes, no tracebacks."""

from __future__ import annotations

import json

import pytest

from accord.cli.main import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_forecast_json_shape_on_example_actors(capsys, shared_dir):
    path = str(shared_dir / "anchor-data/BDM_DecisionModel_Replication/ExampleActors.csv")
    code, out, err = run(capsys, "forecast", path, "--format", "json", "-m", "compromise", "-m", "median")
    assert code == 0, err
    data = json.loads(out)
    assert data["scenario"]["id"] == "exampleactors"
    entry = data["models"]["compromise"]["issues"]["issue"]
    assert entry["outcome"] == pytest.approx(7.38996, abs=5e-6)
    assert len(entry["rounds"]) == 1
    assert entry["rounds"][0]["positions"]["netherlands"] == 4
    assert set(data["models"]) == {"compromise", "median"}


def test_forecast_table_and_csv(capsys, shared_dir, tmp_path):
    path = str(shared_dir / "anchor-data/bdm-scholz-expected-utility-model/Sultan.csv")
    code, out, _ = run(capsys, "forecast", path, "-m", "compromise")
    assert code == 0 and "13.6" in out and "compromise" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    code, _, _ = run(capsys, "forecast", path, "-m", "mean", "--format", "csv", "-o", str(tmp_path / "o.csv"))
    lines = (tmp_path / "o.csv").read_text().splitlines()
    assert code == 0 and lines[0] == "model,issue,round,outcome,final"
    assert lines[1].startswith("mean,issue,0,13.6588")  # mean of the 17 positions


def test_plot_writes_png(capsys, shared_dir, tmp_path):
    path = str(shared_dir / "anchor-data/bdm-scholz-expected-utility-model/Sultan.csv")
    code, _, _ = run(capsys, "forecast", path, "-m", "compromise", "--plot", str(tmp_path / "f.png"))
    assert code == 0 and (tmp_path / "f.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["forecast", "nope.yaml"], "no such file, and no built-in scenario"),
        (["forecast", "-m", "nosuchmodel"], "unknown model 'nosuchmodel'"),
        (["forecast", "--param", "novalue"], "expected KEY=VALUE"),
    ],
)
def test_user_errors_are_one_line_not_tracebacks(capsys, args, words):
    code, out, err = run(capsys, *args)
    assert code != 0 and words in err and "Traceback" not in err + out


def test_validate_exit_codes(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Actor,Capability,Position,Salience\nA,0.5,4,80\nB,-1,7,40\n")
    code, _, err = run(capsys, "scenario", "validate", str(bad))
    assert code == 1 and "row 3" in err and "capability" in err
    good = tmp_path / "good.csv"
    good.write_text("Actor,Capability,Position,Salience\nA,0.5,4,80\nB,1,7,40\n")
    code, out, _ = run(capsys, "scenario", "validate", str(good))
    assert code == 0 and "valid" in out


def test_import_converts_to_native(capsys, shared_dir, tmp_path):
    path = str(shared_dir / "anchor-data/BDM_DecisionModel_Replication/ExampleActors.csv")
    code, _, _ = run(capsys, "scenario", "import", path, "-o", str(tmp_path / "e.yaml"))
    assert code == 0
    code, out, _ = run(capsys, "forecast", str(tmp_path / "e.yaml"), "-m", "compromise", "-f", "json")
    assert json.loads(out)["models"]["compromise"]["issues"]["issue"]["outcome"] == pytest.approx(7.38996, abs=5e-6)


def test_ktab_xml_configures_smp(capsys, shared_dir, tmp_path):
    # smpExample.xml carries SMP parameters (PropCbc voting, MarkovIncentive PCE, stochastic
    # transitions); its one blank coordinate is restored to 52.8 as in KTAB's reference run.
    text = (shared_dir / "anchor-data/ktab/inputs/smpExample.xml").read_text()
    path = tmp_path / "smp.xml"
    path.write_text(text.replace("<dCoord></dCoord>", "<dCoord>52.8</dCoord>", 1))
    code, out, err = run(capsys, "forecast", str(path), "-m", "smp", "--seed", "3", "-f", "json")
    assert code == 0, err
    params = json.loads(out)["models"]["smp"]["params"]
    assert (params["voting_rule"], params["pce_model"], params["state_transitions"]) == (
        "PropCbc", "MarkovIncentive", "Stochastic")
    code, out, _ = run(capsys, "forecast", str(path), "-m", "smp", "--seed", "3", "-f", "json",
                       "--param", "state_transitions=Deterministic")
    assert json.loads(out)["models"]["smp"]["params"]["state_transitions"] == "Deterministic"


@pytest.mark.parametrize(("name", "words"), [("f.bogus", "unknown figure type '.bogus'"),
                                             ("missing/f.png", "does not exist")])
def test_bad_figure_path_fails_before_the_work(capsys, tmp_path, name, words):
    code, out, err = run(capsys, "forecast", "-m", "compromise", "--plot", str(tmp_path / name))
    assert code == 1 and words in err and out == ""  # nothing was forecast


def test_forecast_without_a_seed_is_reproducible(capsys):
    # the built-in scenario has a tie in the exchange model's first round (a seeded tie-break)
    outs = [json.loads(run(capsys, "forecast", "-m", "exchange", "-f", "json")[1]) for _ in range(2)]
    assert outs[0]["seed"] == 0 and outs[0]["models"] == outs[1]["models"]


def test_export_defaults_to_the_builtin_scenario(capsys, tmp_path):
    code, _, err = run(capsys, "scenario", "export", "-o", str(tmp_path / "u.yaml"))
    assert code == 0, err
    from accord.scenario.builtin import load_builtin
    from accord.scenario.io import load_scenario

    assert load_scenario(tmp_path / "u.yaml") == load_builtin()
