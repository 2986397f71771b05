"""Readers and writers: formats are detected, and what is written reads back the same."""

from __future__ import annotations

import numpy as np
import pytest

from accord.errors import ScenarioError
from accord.scenario import compile_scenario
from accord.scenario.io import load_scenario, read_raw
from accord.scenario.io.writers import write_scenario

from helpers import scenario


def _rich_scenario():
    s = scenario(
        [("a", 50.0), ("b", 30.0), ("c", 80.0)],
        [("a", "x", 10, 80), ("b", "x", 70, 40), ("a", "y", 30, 50), ("c", "y", 90, 20)],
        issues=[
            {"id": "x", "name": "X", "status_quo": 20,
             "scale": {"min": 0, "max": 100, "anchors": {0: "none", 100: "all"}}},
            {"id": "y", "name": "Y"},
        ],
    )
    data = s.model_dump(mode="json")
    data["actors"][2]["capability_by_issue"] = {"y": 60}
    data["actors"][0]["veto"] = ["x"]
    data["positions"][0]["position_uncertainty"] = {"sd": 5}
    data["proposals"] = [{"id": "p", "name": "P", "date": "2025-12-01", "points": {"x": 40}}]
    return type(s).model_validate(data)


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".xlsx"])
def test_native_round_trip_is_lossless(tmp_path, suffix):
    original = _rich_scenario()
    path = tmp_path / f"s{suffix}"
    write_scenario(original, path)
    assert load_scenario(path) == original


def test_builtin_scenario_survives_a_workbook(tmp_path):
    from accord.scenario.builtin import load_builtin

    original = load_builtin()
    write_scenario(original, tmp_path / "u.xlsx")
    assert load_scenario(tmp_path / "u.xlsx") == original


def test_workbook_errors_name_sheet_and_row(tmp_path):
    import openpyxl

    write_scenario(_rich_scenario(), tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    sheet = book["positions"]
    column = [c.value for c in sheet[1]].index("salience") + 1
    sheet.cell(row=3, column=column, value=250)
    book.save(tmp_path / "s.xlsx")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "s.xlsx")
    assert str(info.value.problems[0]).startswith(f"{tmp_path / 's.xlsx'}[positions], row 3: positions.1.salience")


def test_long_table_round_trip_keeps_the_numbers(tmp_path):
    original = _rich_scenario()
    path = tmp_path / "s.csv"
    assert "1 proposals" in write_scenario(original, path)  # what the CSV cannot hold is reported
    back = load_scenario(path)
    a, b = compile_scenario(original), compile_scenario(back)
    for name in ("position", "salience", "stake", "lower", "upper"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    # the long table carries capabilities only where an actor has a position
    np.testing.assert_array_equal(a.capability * a.stake, b.capability * b.stake)
    np.testing.assert_array_equal(a.status_quo, b.status_quo)
    assert back.positions[0].position_uncertainty.sd == 5


def test_bdm_tables_both_salience_variants(shared_dir):
    hundred = load_scenario(shared_dir / "anchor-data/BDM_DecisionModel_Replication/ExampleActors.csv")
    unit = load_scenario(shared_dir / "anchor-data/bdm-scholz-expected-utility-model/ExampleActors.csv")
    assert (hundred.salience_scale, unit.salience_scale) == (100, 1)
    assert len(hundred.actors) == 10 and hundred.actors[0].name == "Netherlands"
    a, b = compile_scenario(hundred), compile_scenario(unit)
    np.testing.assert_allclose(a.salience, b.salience)
    np.testing.assert_allclose(a.position[:, 0], [4, 7, 4, 4, 10, 10, 10, 7, 4, 7])


def test_format_detection(shared_dir, tmp_path):
    raw = read_raw(shared_dir / "anchor-data/BDM_DecisionModel_Replication/ExampleActors.csv")
    assert raw.line_word == "row" and raw.data["salience_scale"] == 100
    path = tmp_path / "noext"
    write_scenario(_rich_scenario(), tmp_path / "s.yaml")
    path.write_text((tmp_path / "s.yaml").read_text())
    assert load_scenario(path).id == "t"


def test_compile_arrays():
    arrays = compile_scenario(_rich_scenario())
    assert arrays.position.shape == (3, 2)
    assert arrays.stake.tolist() == [[True, True], [True, False], [False, True]]
    assert arrays.salience[0].tolist() == [0.8, 0.5]
    assert arrays.capability[2].tolist() == [80, 60]
    assert arrays.veto[0].tolist() == [True, False]
    assert np.isnan(arrays.status_quo[1]) and arrays.status_quo[0] == 20
    assert arrays.salience[1, 1] == 0  # no stake, no weight
    with pytest.raises(ValueError):
        arrays.position[0, 0] = 1.0  # frozen


def test_bdm_table_column_synonyms(shared_dir):
    # Stakeholder,Resources,Position,Salience (CR line endings) and name,position,capabilities,...
    honduras = load_scenario(shared_dir / "anchor-data/BDM_DecisionModel_Replication/HondurasCrisisData.csv")
    assert honduras.actors[0].name == "Nicaragua" and honduras.actors[0].capability == 0.0001958
    assert honduras.salience_scale == 1  # every salience is at most 1
    china = load_scenario(shared_dir / "anchor-data/BDM_DecisionModel_Replication/ChinaData.csv")
    assert china.salience_scale == 100 and china.actors[0].name == "Zeming"
    assert compile_scenario(china).position[:3, 0].tolist() == [25, 15, 15]
    pg = load_scenario(shared_dir / "anchor-data/predictioneers_game/ukraine_data.csv")
    assert pg.actors[0].name == "Bosnia" and pg.actors[0].capability == 0.0018


def test_long_table_citations_become_sources(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("actor,issue,position,salience,capability,sources\n"
                    "A,x,10,50,30,Reuters 21 Nov; late edition | FT 24 Nov\nB,x,60,50,20,FT 24 Nov\n")
    s = load_scenario(path)
    assert [(src.id, src.citation) for src in s.sources] == [
        ("reuters_21_nov_late_edition", "Reuters 21 Nov; late edition"), ("ft_24_nov", "FT 24 Nov")]
    assert s.positions[1].sources == ["ft_24_nov"]
