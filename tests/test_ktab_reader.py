"""Reading KTAB's SMP scenarios: CSV (with and without trailing commas), XML, and bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.errors import ScenarioError
from accord.scenario.arrays import compile_scenario
from accord.scenario.io import detect_format, load_scenario
from accord.scenario.io.ktab import ktab_settings


@pytest.fixture(scope="module")
def inputs(shared_dir: Path) -> Path:
    return shared_dir / "anchor-data" / "ktab" / "inputs"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_values_as_written(inputs: Path) -> None:
    s = load_scenario(inputs / "dummyData_3Dim.csv")
    assert s.actor_ids[:2] == ["SActor-00", "SActor-01"]
    assert [i.name for i in s.issues] == ["Pstn1", "Pstn2", "Pstn3"]
    assert (s.issues[0].scale.min, s.issues[0].scale.max) == (0, 100)
    a = compile_scenario(s)
    # SActor-02: 129.643, 82.45, 48.47, 90.89, 13.55, 0.07, 34.62 (capabilities over 100: /10)
    assert a.capability[2, 0] == pytest.approx(12.9643)
    np.testing.assert_allclose(a.position[2], [82.45, 90.89, 0.07])
    np.testing.assert_allclose(a.salience[2], [0.4847, 0.1355, 0.3462])
    assert "divided by 10" in s.description


def test_capabilities_within_range_are_kept(inputs: Path) -> None:
    s = load_scenario(inputs / "SOE-Pol-Comp.csv")
    assert [a.capability for a in s.actors[:3]] == [100.0, 60.2, 35.0]
    assert s.actors[1].notes == "Li Keqiang"
    assert len(s.positions) == 13 * 2


def test_trailing_comma_makes_no_difference(inputs: Path) -> None:
    with_comma = compile_scenario(load_scenario(inputs / "dummyData_3Dim.csv"))
    without = compile_scenario(load_scenario(inputs / "dummyData_3Dim-no-final-comma.csv"))
    for field in ("position", "salience", "capability", "stake"):
        np.testing.assert_array_equal(getattr(with_comma, field), getattr(without, field))


def test_xml_matches_csv(inputs: Path) -> None:
    csv_arrays = compile_scenario(load_scenario(inputs / "dummyData_3Dim.csv"))
    xml = load_scenario(inputs / "dummyData_3Dim.xml")
    assert xml.title == "DummyData_3Dim"
    xml_arrays = compile_scenario(xml)
    for field in ("position", "salience", "capability"):
        np.testing.assert_allclose(getattr(xml_arrays, field), getattr(csv_arrays, field))


def test_blank_xml_coordinate_is_reported_with_its_line(inputs: Path) -> None:
    path = inputs / "smpExample.xml"
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    blank = next(n for n, line in enumerate(lines, start=1) if "<dCoord></dCoord>" in line)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert [p.line for p in err.value.problems] == [blank]
    assert err.value.problems[0].field == "positions.0.position"


def test_xml_settings_give_model_parameters_and_ideal_adjustment(inputs: Path) -> None:
    settings = ktab_settings(inputs / "smpExample.xml")
    assert settings.params["pce_model"] == "MarkovIncentive"
    assert settings.params["voting_rule"] == "PropCbc"
    assert settings.seed == 3507583219545544127
    acc = settings.accommodation
    assert acc is not None
    expected = np.eye(5)
    expected[0, 0], expected[1, 1], expected[1, 0] = 0.87, 0.75, 0.07
    expected[2, 2], expected[2, 3], expected[3, 3] = 0.65, 0.13, 0.57
    np.testing.assert_allclose(acc, expected)
    assert ktab_settings(inputs / "dummyData_3Dim.csv").accommodation is None


def test_reform_priorities_xml_is_refused_clearly(inputs: Path) -> None:
    with pytest.raises(ScenarioError, match="reform-priorities"):
        load_scenario(inputs / "reformpri-ex01.xml")


def test_xml_with_doctype_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "evil.xml", '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n'
                  "<Scenario><Dimensions><dName>&a;</dName></Dimensions><Actors/></Scenario>\n")
    with pytest.raises(ScenarioError, match="DOCTYPE"):
        load_scenario(path)


def test_broken_xml_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "broken.xml", "<?xml version='1.0'?>\n<Scenario>\n<Dimensions>\n"
                  "<dName>a</dName>\n</Scenario>\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert err.value.problems[0].line == 5


HEAD = "Test,desc,3,2,\nActor,Description,Power,P1,S1,P2,S2,\n"


def test_non_number_is_reported_with_its_row(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.csv", HEAD + "A,a,10,50,30,40,20,\nB,b,20,60,lots,40,20,\n"
                  "C,c,30,70,30,40,20,\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    (problem,) = err.value.problems
    assert problem.line == 4
    assert problem.value == "lots"


def test_short_row_total_salience_and_count_are_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "short.csv", HEAD + "A,a,10,50,30,40,\nB,b,20,60,30,40,20,\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    lines = sorted(p.line for p in err.value.problems)
    assert lines == [1, 3]  # 3 actors declared, 2 rows; row 3 lacks a salience
    path = _write(tmp_path, "sal.csv", HEAD + "A,a,10,50,70,40,40,\nB,b,20,60,30,40,20,\n"
                  "C,c,30,70,30,40,20,\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert [p.line for p in err.value.problems] == [3]
    assert "add up to 110" in str(err.value)


def test_position_off_scale_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "off.csv", HEAD + "A,a,10,50,30,40,20,\nB,b,20,160,30,40,20,\n"
                  "C,c,30,70,30,40,20,\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert [(p.line, p.value) for p in err.value.problems] == [(4, 160.0)]


@pytest.mark.parametrize("text,fmt", [
    (HEAD + "A,a,10,50,30,40,20,\n", "ktab"),
    ("Actor,Capability,Position,Salience\nA,10,50,30\nB,20,60,40\n", "bdm"),
    ("actor,issue,position,salience,capability\nA,x,50,30,10\nB,x,60,40,20\n", "csv"),
    ("#A,a1,Alice,\n#P,i1,Issue one\n#D,a1,i1,50,0.5,1,\n", "decide"),
    ("#A\ta1\tAlice\n#P\ti1\tIssue\n#D\ta1\ti1\t50\t0.5\t1\n", "decide"),
])
def test_detection_does_not_misfire(tmp_path: Path, text: str, fmt: str) -> None:
    path = _write(tmp_path, "x.csv", text)
    if fmt == "decide" and "decide" not in __import__("accord.scenario.io", fromlist=["FORMATS"]).FORMATS:
        pytest.skip("the Decide reader is not installed in this tree")
    assert detect_format(path, text).name == fmt


def test_xml_detected(inputs: Path) -> None:
    path = inputs / "dummyData_3Dim.xml"
    text = path.read_text(encoding="utf-8-sig")
    assert detect_format(path, text).name == "ktab-xml"


# ----------------------------------------------------------------------------- model settings
@pytest.fixture
def smp_example(inputs: Path, tmp_path: Path) -> Path:
    """smpExample.xml with its one blank coordinate filled, so that it is a valid scenario."""
    data = (inputs / "smpExample.xml").read_bytes().replace(b"<dCoord></dCoord>", b"<dCoord>50</dCoord>", 1)
    path = tmp_path / "smpExample.xml"
    path.write_bytes(data)
    return path


def test_xml_model_settings_become_scenario_data(smp_example: Path) -> None:
    """The values are those written in the file's <ModelParameters> and <IdealAdjustment>."""
    s = load_scenario(smp_example)
    settings = s.model_settings["smp"]
    assert {k: v for k, v in settings.items() if k != "accommodation"} == {
        "victory_model": "Linear", "pce_model": "MarkovIncentive", "state_transitions": "Stochastic",
        "voting_rule": "PropCbc", "big_r_adjust": "OneThird", "big_r_range": "Mid",
        "third_party_commit": "SemiCommit", "inter_vec_bargain": "S2P2", "bargain_model": "InitOnlyInterp",
    }
    expected = np.eye(5)
    expected[0, 0], expected[1, 1], expected[1, 0] = 0.87, 0.75, 0.07
    expected[2, 2], expected[2, 3], expected[3, 3] = 0.65, 0.13, 0.57
    assert settings["accommodation"] == expected.tolist()
    assert list(s.model_settings) == ["smp"]


def test_model_settings_survive_every_lossless_format(smp_example: Path, tmp_path: Path) -> None:
    from accord.scenario.io.writers import write_scenario

    original = load_scenario(smp_example)
    for suffix in (".yaml", ".json", ".xlsx"):
        path = tmp_path / f"copy{suffix}"
        write_scenario(original, path)
        assert load_scenario(path).model_settings == original.model_settings, suffix
    assert any("model settings (for smp)" in lost for lost in write_scenario(original, tmp_path / "c.csv"))


def test_csv_and_plain_xml_have_no_model_settings(inputs: Path) -> None:
    assert load_scenario(inputs / "dummyData_3Dim.csv").model_settings == {}


def test_reader_vocabulary_is_the_smp_models(smp_example: Path) -> None:
    """The reader checks KTAB's values itself (scenario layer); they must be exactly the values
    the smp model accepts, parameter by parameter."""
    from accord.models import model_class
    from accord.scenario.io.ktab import KTAB_PARAMETERS

    declared = model_class("smp").parameters()
    for name, choices in KTAB_PARAMETERS.values():
        assert choices == tuple(declared[name].choices), name


def test_values_are_matched_case_insensitively_as_ktab_does(smp_example: Path, tmp_path: Path) -> None:
    path = tmp_path / "lower.xml"
    path.write_bytes(smp_example.read_bytes().replace(b">PropCbc<", b">propcbc<"))
    assert load_scenario(path).model_settings["smp"]["voting_rule"] == "PropCbc"


def test_model_settings_must_be_json_data(tmp_path: Path) -> None:
    text = ("id: t\ntitle: T\nmodel_settings:\n  smp: {rounds: .nan}\nactors: [{id: a, name: A, capability: 1}]\n"
            "issues: [{id: x, name: X}]\npositions: [{actor: a, issue: x, position: 5, salience: 5}]\n")
    path = _write(tmp_path, "m.yaml", text)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    (problem,) = err.value.problems
    assert (problem.line, problem.field) == (3, "model_settings")
    assert "model settings must be JSON data" in problem.message
