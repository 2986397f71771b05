"""Inputs that once crashed a reader (or lost data silently), found by tests/test_fuzz_readers.py.

Each case is the exact input; each must give a ScenarioError naming the file (and the line or row
where there is one), and the CLI must answer 1, never 70 (internal error) or a traceback.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from accord.errors import ScenarioError
from accord.scenario.builtin import load_builtin
from accord.scenario.io import load_scenario
from accord.scenario.io.deu import load_deu
from accord.scenario.io.writers import write_scenario

HEAD = "id: t\ntitle: T\n"


def problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    for p in info.value.problems:
        assert p.file is not None and Path(p.file.split("[")[0]).name == path.name
    return [str(p) for p in info.value.problems]


def cli_validate(path: Path) -> tuple[int, str]:
    from accord.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["scenario", "validate", str(path)])
    return code, out.getvalue() + err.getvalue()


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


# ----------------------------------------------------------------------------- native YAML/JSON
@pytest.mark.parametrize(
    ("name", "content", "expected", "line"),
    [
        # a YAML timestamp that is not a date: PyYAML raised ValueError from its constructor
        ("date.yaml", HEAD + "as_of: 2025-13-45\nactors: []\npositions: []\n",
         "cannot read '2025-13-45' (month must be in 1..12)", 3),
        # an integer beyond Python's 4300-digit conversion limit: ValueError from int()
        ("bigint.yaml", HEAD + "salience_scale: " + "9" * 5000 + "\nactors: []\npositions: []\n",
         "Exceeds the limit (4300 digits)", 3),
        ("bigint.json", '{"id": "t", "actors": [], "positions": [], "x": ' + "9" * 5000 + "}",
         "not valid JSON: Exceeds the limit (4300 digits)", None),
        # nesting deeper than the recursion limit: RecursionError in the parsers
        ("deep.yaml", "actors: " + "[" * 5000 + "]" * 5000 + "\npositions: []\n",
         "not valid YAML: lists or mappings are nested too deeply", 1),  # libyaml names the line
        ("deep.json", '{"actors": ' + "[" * 100000 + "]" * 100000 + ', "positions": []}',
         "not valid JSON: lists or mappings are nested too deeply", None),
        # an alias inside its own anchor: the line-map walk recursed forever
        ("recursive.yaml", HEAD + "actors: &a [*a]\npositions: []\n",
         "an alias refers to the list or mapping that contains it", 3),
    ],
)
def test_native_parser_failures_are_problems(tmp_path, name, content, expected, line):
    path = write(tmp_path, name, content)
    found = problems(path)
    assert len(found) == 1 and expected in found[0], found
    where = f"{path}, line {line}:" if line else f"{path}:"
    assert found[0].startswith(where), found
    code, text = cli_validate(path)
    assert code == 1 and "internal error" not in text and "Traceback" not in text


def test_alias_bomb_is_refused(tmp_path):
    """Ten aliases of ten aliases, seven deep, would expand to 10**7 values: refused, not walked."""
    levels = ["a: &l0 [" + ", ".join(['"x"'] * 10) + "]"]
    levels += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 7)]
    path = write(tmp_path, "bomb.yaml", HEAD + "\n".join(levels) + "\nactors: [*l6]\npositions: []\n")
    found = problems(path)
    assert found == [f"{path}, line 3: not a usable YAML scenario: the file expands to more than "
                     "1,000,000 values (through aliases)"]


# ----------------------------------------------------------------------------- XLSX
def test_workbook_without_xlsx_extension(tmp_path):
    """openpyxl refused a workbook by its file name (InvalidFileException); the content decides."""
    book = tmp_path / "s.xlsx"
    write_scenario(load_builtin(), book)
    renamed = tmp_path / "scenario"
    renamed.write_bytes(book.read_bytes())
    assert load_scenario(renamed) == load_scenario(book)


@pytest.mark.parametrize("cut", [4, 100, 2000, -200])
def test_truncated_workbook(tmp_path, cut):
    book = tmp_path / "s.xlsx"
    write_scenario(load_builtin(), book)
    path = write(tmp_path, "cut.xlsx", book.read_bytes()[:cut])
    found = problems(path)
    assert len(found) == 1 and "cannot open as an Excel workbook" in found[0], found
    code, text = cli_validate(path)
    assert code == 1 and "internal error" not in text


# ----------------------------------------------------------------------------- DEU
ISSUES = (
    "prnr,prname,isnr,type,council,proc,counvte,intro,finact,rp,out\n"
    "d1,test,d1i1,Reg,General,COD,QMV,2004-01-01,2005-01-01,0,50\n"
)
POSITIONS = "isnr,actor,position,salience\nd1i1,com,100,50\nd1i1,de,0,50\nd1i1,fr,20,50\n"


def test_deu_second_position_row_is_reported_at_its_row(tmp_path):
    """A repeated (issue, actor) row in positions.csv was reported against issues.csv without a
    row ('first at row None'); it is now reported where it is."""
    write(tmp_path, "issues.csv", ISSUES)
    write(tmp_path, "positions.csv", POSITIONS + "d1i1,com,0,80\n")
    with pytest.raises(ScenarioError) as info:
        load_deu(tmp_path)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'positions.csv'}, row 5: actor: second row for com on issue d1i1 (first at row 2) "
        "(got 'com'); expected one row per issue and actor"
    ]


def test_deu_column_named_twice_is_reported(tmp_path):
    """Two 'out' columns: the second silently replaced the first."""
    write(tmp_path, "issues.csv", ISSUES.replace(",out\n", ",out,out\n", 1).replace(",50\n", ",50,10\n"))
    write(tmp_path, "positions.csv", POSITIONS)
    with pytest.raises(ScenarioError) as info:
        load_deu(tmp_path)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'issues.csv'}, row 1: columns named twice in the header (got 'out'); expected each once"
    ]


def test_deu_long_pair_still_loads(tmp_path):
    write(tmp_path, "issues.csv", ISSUES)
    write(tmp_path, "positions.csv", POSITIONS)
    (case,) = load_deu(tmp_path).cases
    assert case.outcome == 50 and case.n_actors == 3


# ----------------------------------------------------------------------------- long table
LONG = "actor,issue,position,salience,capability,scale_min,scale_max,status_quo\n"


def test_long_table_later_row_with_another_scale_is_reported(tmp_path):
    """Row 3 put issue x on 0..10 with status quo 7; the first row's 0..100 silently won and B's
    position 8 was read on the wrong scale."""
    path = write(tmp_path, "t.csv", LONG + "A,x,20,50,10,0,100,5\nB,x,8,60,20,0,10,7\n")
    assert problems(path) == [
        f"{path}, row 3: scale_max: issue x: scale_max differs from the 100.0 given at row 2 (got 10.0); "
        "expected the same scale_max on every row of the issue, or an empty cell",
        f"{path}, row 3: status_quo: issue x: status_quo differs from the 5.0 given at row 2 (got 7.0); "
        "expected the same status_quo on every row of the issue, or an empty cell",
    ]


def test_long_table_issue_columns_may_be_given_once_on_any_row(tmp_path):
    """An empty cell repeats nothing and contradicts nothing: the scale may sit on a later row."""
    path = write(tmp_path, "t.csv", LONG + "A,x,2,50,10,,,\nB,x,8,60,20,0,10,\n")
    scenario = load_scenario(path)
    assert (scenario.issues[0].scale.min, scenario.issues[0].scale.max) == (0, 10)
    assert scenario.issues[0].status_quo is None


def test_long_table_actor_name_conflict_is_reported(tmp_path):
    path = write(tmp_path, "t.csv", "actor,issue,position,salience,capability,actor_name\n"
                 "a,x,20,50,10,Alpha\nb,x,80,60,20,Beta\na,y,40,70,10,Gamma\nb,y,1,1,1,\n")
    assert problems(path) == [
        f"{path}, row 4: actor_name: actor a: actor_name differs from the 'Alpha' given at row 2 "
        "(got 'Gamma'); expected the same actor_name on every row of the actor, or an empty cell"
    ]


def test_long_table_row_with_extra_cells_is_reported(tmp_path):
    """An unquoted delimiter in a note split it; the tail was dropped without a word."""
    path = write(tmp_path, "t.csv", "actor,issue,position,salience,capability,note\n"
                 "a,x,20,50,10,firm\nb,x,80,60,20,said so, twice\n")
    assert problems(path) == [
        f"{path}, row 3: has 7 or more cells, the header 6 (got ' twice'); "
        "expected one cell per header column (quote cells that hold the delimiter)"
    ]


def test_duplicated_rows_are_reported_not_merged(tmp_path):
    """A repeated actor row in a BDM table or a repeated actor-issue row in a long table."""
    bdm = write(tmp_path, "b.csv", "Actor,Capability,Position,Salience\nA,10,20,50\nB,20,80,60\nA,30,40,70\n")
    assert any("row 4: actors.2.id: duplicate id in actors (got 'a')" in p for p in problems(bdm))
    long = write(tmp_path, "l.csv", LONG + "A,x,20,50,10,0,100,\nB,x,80,60,20,0,100,\nA,x,40,70,10,0,100,\n")
    assert problems(long) == [
        f"{long}, row 4: positions.2: second position of a on x (first at row 2); "
        "expected one position per actor and issue"
    ]


# ----------------------------------------------------------------------------- KTAB XML settings
@pytest.fixture
def smp_xml(shared_dir) -> bytes:
    data = (shared_dir / "anchor-data/ktab/inputs/smpExample.xml").read_bytes()
    return data.replace(b"<dCoord></dCoord>", b"<dCoord>50</dCoord>", 1)


def forecast_smp(path: Path) -> tuple[int, str]:
    from accord.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["forecast", str(path), "-m", "smp"])
    return code, out.getvalue() + err.getvalue()


def test_ktab_settings_of_a_latin1_file(tmp_path, smp_xml):
    """read_raw falls back to cp1252; ktab_settings decoded strictly (UnicodeDecodeError, exit 70)."""
    from accord.scenario.io.ktab import ktab_settings

    path = write(tmp_path, "s.xml", smp_xml.removeprefix(b"\xef\xbb\xbf").replace(b"</desc>", b"\xe9</desc>", 1))
    assert ktab_settings(path).params["voting_rule"] == "PropCbc"
    assert forecast_smp(path)[0] == 0


def test_ktab_settings_unicode_digit_seed(tmp_path, smp_xml):
    """'²'.isdigit() is True but int('²') raises: the seed is ignored as not a number."""
    from accord.scenario.io.ktab import ktab_settings

    path = write(tmp_path, "s.xml", smp_xml.replace(b"03507583219545544127", "²".encode()))
    assert ktab_settings(path).seed is None
    assert forecast_smp(path)[0] == 0


def test_ktab_settings_nan_adjust_is_an_error(tmp_path, smp_xml):
    """adjust = nan passed Smp's >= 0 check and gave an all-NaN forecast printed as dashes."""
    path = write(tmp_path, "s.xml", smp_xml.replace(b"<adjust>0.87", b"<adjust>nan", 1))
    code, text = forecast_smp(path)
    assert code == 1 and "line 114: IdealAdjustment.iaPair.adjust: must be a finite number" in text
    assert "(got 'nan')" in text


def test_bom_file_with_a_stray_latin1_byte_is_recognised(tmp_path, shared_dir):
    """The cp1252 fallback kept the BOM as 'ï»¿', so the content was no longer recognised."""
    data = (shared_dir / "anchor-data/ktab/inputs/dummyData_3Dim.xml").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    path = write(tmp_path, "d.xml", data.replace(b"</desc>", b"\xe9</desc>", 1))
    assert len(load_scenario(path).actors) == 7
