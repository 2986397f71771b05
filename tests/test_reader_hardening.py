"""Hostile and malformed files (issue 14): each is a clear error naming file and place, or a
correct read, within bounded memory. Each test here failed on the readers before the fix."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import numpy as np
import pytest

import hostile
from accord.errors import Problem, ScenarioError
from accord.scenario import compile_scenario
from accord.scenario.io import load_scenario
from accord.scenario.io.writers import write_scenario
from accord.scenario.limits import MAX_ACTORS, MAX_ROWS, XLSX_MAX_COLUMNS
from limited import GIB, run_limited
from test_reader_regressions import cli_validate, problems, write

from helpers import scenario

YAML = """id: t
title: T
actors:
  - {id: a, name: A, capability: 40}
  - {id: b, name: B, capability: 60}
issues:
  - {id: x, name: X}
positions:
  - {actor: a, issue: x, position: 20, salience: 50}
  - {actor: b, issue: x, position: 70, salience: 50}
"""


def _read_limited(path: Path, memory: int = GIB) -> dict:
    """Read ``path`` in a child limited to ``memory``: its actors, or its problems."""
    code = f"""
from accord.errors import ScenarioError
from accord.scenario.io import load_scenario
try:
    s = load_scenario({str(path)!r})
    print(json.dumps({{"actors": s.actor_ids}}))
except ScenarioError as exc:
    print(json.dumps({{"problems": [str(p) for p in exc.problems]}}))
"""
    return run_limited(code, memory, timeout=60)


# ----------------------------------------------------------------------------- workbooks
def test_declared_grid_with_empty_rows_reads_the_used_range(tmp_path):
    """A 6 KB workbook declaring A1:XFD1048576 with 100,000 empty rows: openpyxl padded each row
    to 16,384 cells (12 GB); now only the used range is read, well under 1 GiB."""
    path = write(tmp_path, "grid.xlsx", hostile.declared_everything(100_000))
    assert path.stat().st_size < 10_000
    assert _read_limited(path) == {"actors": ["a", "b", "c"]}


def test_rows_beyond_the_limit_are_refused_before_reading(tmp_path):
    path = write(tmp_path, "rows.xlsx", hostile.far_cell(MAX_ROWS + 5, "A"))
    (problem,) = _read_limited(path)["problems"]
    assert f"{path}: the workbook is refused: a sheet reaches row" in problem
    assert f"at most {MAX_ROWS + 1:,} rows" in problem


def test_a_cell_beyond_the_column_limit_is_refused(tmp_path):
    path = write(tmp_path, "wide.xlsx", hostile.far_cell(5, "XFD"))
    (problem,) = problems(path)
    assert f"reaches column 16,384 in row 5; at most {XLSX_MAX_COLUMNS:,} columns" in problem


def test_shared_string_zip_bomb_is_refused_before_openpyxl(tmp_path):
    """200 MiB of shared strings in a ~200 KB file was accepted as valid (and 1.5 GB spent)."""
    path = write(tmp_path, "bomb.xlsx", hostile.shared_string_bomb(200))
    (problem,) = _read_limited(path)["problems"]
    assert "the archive unpacks to 200 MiB; at most 50 MiB" in problem


def test_compression_ratio_is_bounded(tmp_path):
    path = write(tmp_path, "ratio.xlsx", hostile.shared_string_bomb(8))
    assert path.stat().st_size < 8 * 2**20 / 100
    (problem,) = problems(path)
    assert "times its size (a zip bomb?); at most 100 times" in problem


def test_too_many_shared_strings_are_refused(tmp_path):
    path = write(tmp_path, "strings.xlsx", hostile.many_strings(2_000_001))
    (problem,) = _read_limited(path)["problems"]
    assert "more than 2,000,000 shared strings" in problem or "times its size" in problem


# ----------------------------------------------------------------------------- delimited tables
BIG = 200_000  # more than csv's 131,072-character cell limit


@pytest.mark.parametrize(
    ("name", "prefix", "row"),
    [
        ("long.csv", "actor,issue,position,salience,capability\nA,x,10,50,40\n", 3),
        ("bdm.csv", "Actor,Capability,Position,Salience\nA,40,10,50\n", 3),
        ("ktab.csv", "T,d,3,1,\nActor,Description,Power,P1,S1,\nA,a,10,50,30,\n", 4),
    ],
)
def test_unclosed_quote_before_a_long_tail_names_its_row(tmp_path, name, prefix, row):
    """The quote swallowed the rest of the file into one cell: csv's field limit, exit 70."""
    path = write(tmp_path, name, hostile.unclosed_quote(prefix, BIG))
    (problem,) = problems(path)
    assert problem.startswith(f"{path}, row {row}: a quoted cell that starts in this row is never closed")
    code, text = cli_validate(path)
    assert code == 1 and "internal error" not in text


def test_unclosed_quote_at_the_end_is_reported_not_swallowed(tmp_path):
    """Short of the limit, the open quote silently took the last rows into one actor's name."""
    path = write(tmp_path, "end.csv", hostile.long_csv(['A,x,10,50,40', '"B,x,80,60,50', 'C,x,40,30,20']))
    (problem,) = problems(path)
    assert problem.startswith(f"{path}, row 3: a quoted cell that starts in this row is never closed")


def test_deu_table_with_an_unclosed_quote(tmp_path):
    from accord.scenario.io.deu import load_deu

    path = write(tmp_path, "deu.tsv", "prnr\tisnr\n" + hostile.unclosed_quote("", BIG).replace(",", "\t"))
    with pytest.raises(ScenarioError) as err:
        load_deu(path)
    (problem,) = err.value.problems
    assert (problem.file, problem.line) == (str(path), 2) and "never closed" in problem.message


def test_misspelt_optional_column_is_an_error_with_a_suggestion(tmp_path):
    path = write(tmp_path, "typo.csv", "actor,issue,position,salience,capability,postion_sd\n"
                 "A,x,10,50,40,5\nB,x,80,60,50,5\n")
    (problem,) = problems(path)
    assert problem == (f"{path}, row 1: postion_sd: unknown column 'postion_sd'; its values would be "
                       "ignored; expected did you mean 'position_sd'? one of: actor, issue, position, "
                       "salience, capability, actor_name, issue_name, position_sd, salience_sd, "
                       "capability_sd, position_low, position_high, scale_min, scale_max, status_quo, "
                       "sources, note")


def test_bdm_row_with_an_extra_cell_is_an_error(tmp_path):
    path = write(tmp_path, "b.csv", "Actor,Capability,Position,Salience\nA,40,10,50\nB,60,70,50,99\n")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}, row 3: has 5 or more cells, the header 4 (got '99')")


def test_more_rows_than_the_limit_are_refused(tmp_path):
    rows = [f"A{n},x,50,50,50" for n in range(MAX_ROWS + 1)]
    path = write(tmp_path, "many.csv", hostile.long_csv(rows))
    (problem,) = problems(path)
    assert f"the table has more than {MAX_ROWS:,} rows" in problem


# ----------------------------------------------------------------------------- values
def test_yes_is_not_a_number(tmp_path):
    """YAML reads yes as true and pydantic took true as 1.0."""
    path = write(tmp_path, "yes.yaml", YAML.replace("position: 20", "position: yes"))
    (problem,) = problems(path)
    assert problem == (f"{path}, line 9: positions.0.position: true/false (yes/no, on/off in YAML) "
                       "is not a number (got True); expected a number")


@pytest.mark.parametrize(
    ("scale", "message"),
    [
        ("{min: -1.0e+308, max: 1.0e+308}", "reaches beyond +-1e+09"),
        ("{min: 0, max: 2.0e+10}", "reaches beyond +-1e+09"),
        ("{min: 0, max: 1.0e-12}", "is narrower than 1e-09"),
    ],
)
def test_scale_magnitudes_are_bounded(tmp_path, scale, message):
    """A scale of +-1e308 has an infinite width: every model's outcome was '-' with exit 0."""
    text = YAML.replace("{id: x, name: X}", f"{{id: x, name: X, scale: {scale}}}")
    text = text.replace("position: 20", "position: 0").replace("position: 70", "position: 0")
    found = problems(write(tmp_path, "scale.yaml", text))
    assert any(message in p and "issues.0.scale" in p for p in found), found


def test_native_list_beyond_the_actor_limit_is_refused_early(tmp_path):
    actors = "".join(f"  - {{id: a{n}, name: A, capability: 1}}\n" for n in range(MAX_ACTORS + 1))
    text = YAML.replace("  - {id: a, name: A, capability: 40}\n  - {id: b, name: B, capability: 60}\n",
                        actors)
    found = problems(write(tmp_path, "big.yaml", text))
    assert f"has {MAX_ACTORS + 1:,} entries, more than a scenario may have; expected at most " \
           f"{MAX_ACTORS:,} actors" in found[0]


def test_misspelt_native_field_suggests_the_right_one(tmp_path):
    path = write(tmp_path, "t.yaml", YAML.replace("salience: 50}\n  - {actor: b", "salence: 50}\n  - {actor: b"))
    found = problems(path)
    assert any("positions.0.salence: Extra inputs are not permitted (got 50); expected did you mean "
               "'salience'?" in p for p in found), found


def test_file_size_is_bounded_before_reading(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.truncate(65 * 2**20)  # sparse: nothing is written or read
    (problem,) = problems(path)
    assert "the file is 65 MiB, more than a scenario file may be; expected at most 64 MiB" in problem


# ----------------------------------------------------------------------------- detection, encodings
def test_yaml_with_actors_after_64_kib_is_recognised(tmp_path):
    text = YAML.replace("title: T\n", "title: T\ndescription: >\n" + "  long text\n" * 8000)
    path = write(tmp_path, "late.txt", text)  # no extension to help
    assert text.index("actors:") > 65536
    assert load_scenario(path).actor_ids == ["a", "b"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_with_a_byte_order_mark(tmp_path, codec):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
           "utf-32-le": codecs.BOM_UTF32_LE}[codec]
    path = write(tmp_path, "u.yaml", bom + YAML.replace("name: A", "name: Ä").encode(codec))
    s = load_scenario(path)
    assert s.actor("a").name == "Ä"


def test_utf16_without_a_mark_says_to_save_as_utf8(tmp_path):
    path = write(tmp_path, "u.csv", hostile.long_csv(["A,x,10,50,40"]).encode("utf-16-le"))
    (problem,) = problems(path)
    assert problem == (f"{path}: this looks like UTF-16 text without a byte-order mark; expected a "
                       "text file (YAML, JSON, CSV) saved as UTF-8, or an .xlsx workbook")


def test_problem_values_are_json_safe():
    """/api/scenarios answered 500 when a problem's value was NaN or inf."""
    found = [Problem("m", value=float("nan")), Problem("m", value=float("-inf")), Problem("m", value=b"x"),
             Problem("m", value=2.5, line=3, file="f", field="x")]
    data = json.loads(json.dumps([p.to_dict() for p in found], allow_nan=False))
    assert [d["value"] for d in data] == ["nan", "-inf", "b'x'", 2.5]
    assert data[3] == {"file": "f", "line": 3, "line_word": "line", "field": "x", "message": "m",
                       "value": 2.5, "expected": None, "text": "f, line 3: x: m (got 2.5)"}


# ----------------------------------------------------------------------------- KTAB
def test_ktab_xml_beyond_the_actor_limit_is_refused_before_building(tmp_path):
    """20,000 actors with an <IdealAdjustment> built a 3 GiB identity matrix (exit 70)."""
    adjustment = "<IdealAdjustment><iaPair><adjustingIdeal>A0</adjustingIdeal>" \
                 "<referencePos>A1</referencePos><adjust>0.1</adjust></iaPair></IdealAdjustment>"
    path = write(tmp_path, "big.xml", hostile.ktab_xml(20_000, adjustment=adjustment))
    result = _read_limited(path)
    (problem,) = result["problems"]
    assert f"20,000 actors and 1 dimensions; expected at most {MAX_ACTORS:,} actors" in problem
    code = f"""
from accord.errors import ScenarioError
from accord.scenario.io.ktab import ktab_settings
try:
    ktab_settings({str(path)!r}); print(json.dumps("read"))
except ScenarioError as exc:
    print(json.dumps(str(exc)))
"""
    assert "20,000 actors to adjust" in run_limited(code, GIB)


@pytest.mark.parametrize(
    ("parameters", "adjustment", "expected"),
    [
        ("<ModelParameters><VotingRule>PropCbcX</VotingRule></ModelParameters>", "",
         "line 6: ModelParameters.VotingRule: not one of KTAB's VotingRule values (got 'PropCbcX'); "
         "expected one of: Prop, Binary, PropBin, PropCbc, Cubic, ASymProsp"),
        ("<ModelParameters><VotngRule>Prop</VotngRule></ModelParameters>", "",
         "ModelParameters.VotngRule: unknown model parameter (got 'VotngRule'); expected did you mean "
         "'VotingRule'?"),
        ("", "<IdealAdjustment><iaPair><adjustingIdeal>A0</adjustingIdeal><referencePos>A1"
         "</referencePos><adjust>-0.5</adjust></iaPair></IdealAdjustment>",
         "IdealAdjustment.iaPair.adjust: must be a finite number of 0 or more (got '-0.5')"),
        ("", "<IdealAdjustment><iaPair><adjustingIdeal>A0</adjustingIdeal><referencePos>A1"
         "</referencePos><adjust>0.5</adjust></iaPair></IdealAdjustment>",
         "IdealAdjustment: the adjustments of A0's ideal add up to 1.5"),
        ("", "<IdealAdjustment><iaPair><adjustingIdeal>A0</adjustingIdeal><referencePos>Nobody"
         "</referencePos><adjust>0.5</adjust></iaPair></IdealAdjustment>",
         "IdealAdjustment.iaPair: an ideal adjustment needs <adjustingIdeal> and <referencePos> "
         "naming actors"),
    ],
)
def test_validate_rejects_ktab_parameters_that_forecast_rejects(tmp_path, parameters, adjustment, expected):
    """validate said 'valid' for parameters that forecast then refused."""
    path = write(tmp_path, "k.xml", hostile.ktab_xml(3, parameters=parameters, adjustment=adjustment))
    found = problems(path)
    assert len(found) == 1 and expected in found[0] and found[0].startswith(f"{path}, line "), found
    code, text = cli_validate(path)
    assert code == 1 and "k.xml" in text


# ----------------------------------------------------------------------------- exports
FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3+4", "@SUM(A1)", "'=quoted", "''", "'plain"]


def _formula_scenario():
    s = scenario([(f"a{n}", 10.0 + n) for n in range(len(FORMULAS))],
                 [(f"a{n}", "x", 10.0 * n, 50) for n in range(len(FORMULAS))])
    data = s.model_dump(mode="json")
    for actor, name in zip(data["actors"], FORMULAS, strict=True):
        actor["name"] = name
    data["positions"][0]["note"] = "=1+1"
    data["issues"][0]["name"] = "-leading"
    return type(s).model_validate(data)


def test_workbook_export_keeps_formula_text_as_text(tmp_path):
    """Names starting with = became live formulas, and the 'lossless' workbook failed to read."""
    import openpyxl

    original = _formula_scenario()
    path = tmp_path / "f.xlsx"
    write_scenario(original, path)
    book = openpyxl.load_workbook(path)
    cells = [c for row in book["actors"].iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)  # no formula anywhere
    assert {c.value for c in cells if c.quotePrefix} >= {FORMULAS[0], "+1+2", "-3+4", "@SUM(A1)"}
    assert load_scenario(path) == original


def test_csv_export_escapes_formula_text_and_reads_it_back(tmp_path):
    original = _formula_scenario()
    path = tmp_path / "f.csv"
    write_scenario(original, path)
    text = path.read_text()
    cells = [c for line in text.splitlines() for c in re.split(r",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", line)]
    assert not [c for c in cells if c.lstrip('"').startswith(("=", "+", "@"))]
    assert "'=1+1" in text and "'-leading" in text
    back = load_scenario(path)
    assert [a.name for a in back.actors] == FORMULAS
    assert back.positions[0].note == "=1+1" and back.issues[0].name == "-leading"
    np.testing.assert_array_equal(compile_scenario(back).position, compile_scenario(original).position)
