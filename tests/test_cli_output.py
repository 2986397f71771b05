"""The command line's output contract: user errors are one line with exit 1 or 2 (never 70),
output files are complete or absent, paths print verbatim, JSON is strict (NaN never 'nan')."""

from __future__ import annotations

import pytest

from accord.cli.main import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["forecast", "--rounds", "0"], "--rounds"),
        (["forecast", "--draws", "-1"], "--draws"),
        (["forecast", "--format", "xml"], "xml"),
        (["forecast", "--bogus"], "--bogus"),
        (["sensitivity"], "Missing option"),
    ],
)
def test_usage_errors_exit_2_not_internal_error(capsys, args, words):
    # click's usage errors (bad option values, unknown options, missing arguments) are the
    # user's, exit code 2 by click's convention; 70 would call them a bug in accord
    code, out, err = run(capsys, *args)
    assert code == 2, err
    assert words in err and "internal error" not in err and "Traceback" not in err + out


def test_written_paths_keep_their_brackets_and_unicode(capsys, tmp_path):
    # Rich markup used to swallow "[draft]" in the 'wrote PATH' message
    for args, name in ((["-f", "json"], "x[draft]é.json"), ([], "t[draft]é.txt"), (["-f", "csv"], "c[v2].csv")):
        path = tmp_path / name
        code, _, err = run(capsys, "forecast", "-m", "compromise", *args, "-o", str(path))
        assert code == 0 and f"wrote {path}" in err and path.is_file()
    code, _, err = run(capsys, "scenario", "export", "ukraine-2025-12", "-o", str(tmp_path / "s[1].yaml"))
    assert code == 0 and f"wrote {tmp_path / 's[1].yaml'}" in err


def test_table_output_is_all_or_nothing(capsys, tmp_path, monkeypatch):
    # a failure while rendering the table must not leave a half-written file behind
    import accord.report.views as views
    from accord.errors import AccordError

    def broken(result, width, trajectory, details):
        raise AccordError("rendering failed")

    monkeypatch.setattr(views, "forecast_view", broken)
    path = tmp_path / "t.txt"
    code, _, err = run(capsys, "forecast", "-m", "compromise", "-o", str(path))
    assert code == 1 and "rendering failed" in err and not path.exists()


def test_table_output_in_a_new_folder_like_json(capsys, tmp_path):
    # JSON and CSV output create a missing folder; the table output did not (and backtest's
    # table output raised an OSError, exit 70)
    path = tmp_path / "new" / "t.txt"
    code, _, err = run(capsys, "forecast", "-m", "compromise", "-o", str(path))
    assert code == 0, err
    assert "compromise" in path.read_text() and "\x1b[" not in path.read_text()


def test_backtest_table_output_to_a_file(capsys, shared_dir, tmp_path):
    tsv = shared_dir / "benchmark-data/deu3/deu3.tsv"
    path = tmp_path / "new" / "b.txt"
    code, _, err = run(capsys, "backtest", str(tsv), "-m", "compromise", "--n-boot", "100", "-o", str(path))
    assert code == 0, err
    assert "compromise" in path.read_text() and f"wrote {path}" in err


def test_validate_names_a_bracketed_file_verbatim(capsys, tmp_path):
    good = tmp_path / "good[v2].csv"
    good.write_text("Actor,Capability,Position,Salience\nA,0.5,4,80\nB,1,7,40\n")
    code, out, _ = run(capsys, "scenario", "validate", str(good))
    assert code == 0 and f"{good}: valid" in out.replace("\n", "")


def test_write_json_is_strict_json(tmp_path):
    # json.dumps writes NaN as the bare word NaN, which is not JSON; missing numbers are null
    import json

    import numpy as np

    from accord.cli.common import write_json

    path = tmp_path / "o.json"
    write_json({"x": float("nan"), "y": np.float64(1.5), "z": [np.inf, 2]}, path)
    data = json.loads(path.read_text(), parse_constant=lambda word: pytest.fail(f"non-JSON {word}"))
    assert data == {"x": None, "y": 1.5, "z": [None, 2]}


def test_validate_prints_each_problem_on_one_line(capsys, tmp_path):
    # like every other CLI error (soft wrap): one greppable line per problem, whatever the width
    bad = tmp_path / "bad.csv"
    bad.write_text("actor,issue,position,salience,capability\nA,x,10,50,50\nB,x,abc,50,40\n")
    code, _, err = run(capsys, "scenario", "validate", str(bad))
    line = next(x for x in err.splitlines() if "row 3" in x)
    assert code == 1 and "positions.1.position" in line and "expected a number" in line


@pytest.mark.parametrize("command", [["forecast"], ["whatif", "--remove", "eu"], ["sensitivity", "--issue", "nato"]])
def test_a_param_no_chosen_model_has_is_an_error_naming_it(capsys, command):
    # "--param rouds=5" (a typo) used to be ignored silently by every model; a run's labels have
    # their own option (--label), so a parameter no chosen model has is an error, before any work
    code, _, err = run(capsys, *command, "-m", "compromise", "--param", "rouds=5")
    assert code == 1 and "parameter 'rouds': none of the chosen models (compromise) has it" in err


def test_a_param_of_another_chosen_model_is_fine(capsys):
    code, _, err = run(capsys, "forecast", "-m", "compromise", "-m", "eum", "--param", "rounds=2", "-f", "json")
    assert code == 0 and "warning" not in err
