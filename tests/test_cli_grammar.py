"""One grammar of options: help without type placeholders, ``accord models``, built-in names
wherever a scenario is taken, ``--input-format`` for what is read and ``--format`` for what is
written, and the warnings of ``scenario validate``."""

from __future__ import annotations

import dataclasses
import json

import pytest
import yaml

from accord.cli.main import main
from accord.scenario.lint import citation_warnings, lint, local_paths, salience_warnings
from accord.scenario.schema import Scenario


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def all_commands() -> list[list[str]]:
    import typer

    from accord.cli.main import app

    found: list[list[str]] = []

    def walk(command, path):
        found.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "accord")
def test_help_has_no_type_placeholders(capsys, monkeypatch, path):
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = run(capsys, *path, "--help")
    assert code == 0
    for placeholder in ("<bool>", "<list", "<str>", "<int", "<float", "<path>"):
        assert placeholder not in out, placeholder


def test_flags_take_no_value(capsys):
    code, _, err = run(capsys, "forecast", "-m", "compromise", "--trajectory", "true")
    assert code == 1 and "true: no such file" in err  # "true" is read as the scenario, not as the flag's value


def test_models_lists_every_model_and_its_declared_parameters(capsys):
    from accord.models import available_models, model_class

    code, out, _ = run(capsys, "models", "-f", "json")
    catalog = {m["name"]: m for m in json.loads(out)}
    assert code == 0 and list(catalog) == available_models()
    for name, entry in catalog.items():
        fields = {f.name: f.default for f in dataclasses.fields(model_class(name))}
        assert {p["name"]: p["default"] for p in entry["parameters"]} == fields
    q = {p["name"]: p for p in catalog["eum"]["parameters"]}["Q"]
    assert (q["low"], q["high"], q["type"]) == (0, 1, "float")  # a probability
    smp_rule = {p["name"]: p for p in catalog["smp"]["parameters"]}["voting_rule"]
    assert "Prop" in smp_rule["choices"]


def test_models_table_names_parameters_defaults_and_ranges(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "models", "EUM")  # any case
    text = " ".join(out.split())
    assert code == 0 and text.startswith("eum: expected-utility model")
    assert "Q 1 0 to 1 probability that the status quo persists" in text
    row = next(line.split() for line in out.splitlines() if line.startswith("compromise_choice"))
    assert row[:3] == ["compromise_choice", "least_move", "least_move,"]


def test_unknown_model_suggests_the_closest(capsys):
    code, _, err = run(capsys, "models", "eun")
    assert code == 1 and "did you mean 'eum'?" in err


def test_validate_takes_a_builtin_name(capsys):
    code, out, _ = run(capsys, "scenario", "validate", "ukraine-2025-12")
    assert code == 0 and "ukraine-2025-12: valid" in out and "11 actors" in out


def test_validate_names_a_missing_file_and_the_builtin_names(capsys):
    code, _, err = run(capsys, "scenario", "validate", "no-such.yaml")
    assert code == 1 and "no such file" in err and "ukraine-2025-12" in err


def test_scenario_commands_read_with_input_format_and_write_with_format(capsys, tmp_path):
    code, out, _ = run(capsys, "scenario", "show", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["id"] == "ukraine-2025-12" and len(data["actors"]) == 11
    code, _, _ = run(capsys, "scenario", "show", "-f", "yaml", "-o", str(tmp_path / "s.yaml"))
    assert code == 0 and yaml.safe_load((tmp_path / "s.yaml").read_text())["title"] == data["title"]
    csv = tmp_path / "talks.txt"
    csv.write_text("actor,issue,position,salience,capability\na,x,10,50,60\nb,x,90,50,40\n")
    code, out, _ = run(capsys, "scenario", "validate", str(csv), "--input-format", "csv")
    assert code == 0 and "valid" in out
    code, _, err = run(capsys, "scenario", "validate", str(csv), "--format", "csv")
    assert code == 2 and "--format" in err  # no longer an input option


SMALL = {"id": "t", "title": "t", "issues": [{"id": "x", "name": "x"}, {"id": "y", "name": "y"}],
         "actors": [{"id": "a", "name": "a", "capability": 60}, {"id": "b", "name": "b", "capability": 40}]}


def scenario(saliences: list[float], scale: int = 100, citation: str = "A report", url: str | None = None) -> Scenario:
    pairs = [("a", "x"), ("b", "x"), ("a", "y"), ("b", "y")]
    positions = [{"actor": a, "issue": i, "position": 50, "salience": s}
                 for (a, i), s in zip(pairs, saliences, strict=False)]
    source = {"id": "s1", "citation": citation, **({"url": url} if url else {})}
    return Scenario.model_validate({**SMALL, "salience_scale": scale, "positions": positions,
                                    "sources": [source]})


def test_saliences_in_0_1_on_a_0_100_scale_are_flagged():
    warnings = salience_warnings(scenario([0.8, 0.5, 0.9, 1.0]))
    assert len(warnings) == 1 and "all 4 saliences lie within 0–1" in warnings[0] and "salience_scale: 1" in warnings[0]
    assert salience_warnings(scenario([80, 50, 90, 100])) == []
    assert salience_warnings(scenario([0.8, 0.5, 0.9, 1.0], scale=1)) == []


def test_one_fraction_among_percentages_is_named():
    warnings = salience_warnings(scenario([80, 0.8, 90, 60]))
    assert warnings == ["salience 0.8 of b on x looks like a 0–1 value among 0–100 ones (salience_scale is 100): "
                        "did you mean 80?"]


def test_the_reverse_tiny_saliences_on_a_0_1_scale():
    assert "divided by 100 twice" in salience_warnings(scenario([0.008, 0.005, 0.009, 0.01], scale=1))[0]


@pytest.mark.parametrize(("text", "found"), [
    ("Notes kept at /home/ana/talks/notes.txt", ["/home/ana/talks/notes.txt"]),
    ("C:\\Users\\ana\\brief.docx", ["C:\\Users\\ana\\brief.docx"]),
    ("see ../notes/deu3.tsv", ["../notes/deu3.tsv"]),
    ("copy in tests/data/seed/000_46.txt", ["tests/data/seed/000_46.txt"]),
    ("file:///tmp/a.pdf", ["file:///tmp/a.pdf"]),
    ("https://example.org/a/b/report.html", []),
    ("Reuters, 24/11/2025, AP/Reuters and/or TASS", []),
])
def test_local_paths_in_citations(text, found):
    assert local_paths(text) == found


def test_validate_warns_about_a_local_citation_and_fractional_saliences(capsys, tmp_path):
    path = tmp_path / "talks.yaml"
    data = scenario([0.8, 0.5, 0.9, 1.0], citation="My notes, /home/ana/notes.txt").model_dump(mode="json")
    path.write_text(yaml.safe_dump(data))
    code, out, err = run(capsys, "scenario", "validate", str(path))
    assert code == 0 and "valid" in out  # warnings do not make it invalid
    assert "all 4 saliences lie within 0–1" in err and "local file path (/home/ana/notes.txt)" in err
    assert len(lint(scenario([80, 50, 90, 100]))) == 0
    assert citation_warnings(scenario([80] * 4, url="https://example.org/x/y.pdf")) == []
