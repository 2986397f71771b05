"""The DEU loader: layouts, date damage, missing codes, capabilities, vetoes, and readable errors."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from accord.errors import ScenarioError
from accord.scenario import compile_scenario
from accord.scenario.io.deu import load_deu
from accord.scenario.io.deu.capabilities import DEFAULT_TABLE, read_capability_table
from accord.scenario.io.deu.dates import parse_date


@pytest.fixture(scope="module")
def deu(shared_dir) -> Path:
    return shared_dir / "benchmark-data/deu3"


@pytest.fixture(scope="module")
def wide(deu):
    return load_deu(deu / "deu3.tsv")


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    return rows[0], rows[1:]


def test_counts_from_sources_md(wide):
    # SOURCES.md: 236 issues of 90 proposals, 227 scoreable
    assert wide.layout == "wide"
    assert len(wide.cases) == 236
    assert len({c.proposal_id for c in wide.cases}) == 90
    assert len(wide.scoreable) == 227


@pytest.mark.parametrize(
    ("text", "damaged", "expected"),
    [
        ("1930-05-01", True, dt.date(2001, 5, 30)),  # SOURCES.md's own examples
        ("2017-04-18", True, dt.date(2018, 4, 17)),
        ("26-01-00", True, dt.date(2000, 1, 26)),
        ("07-02-96", False, dt.date(1996, 2, 7)),
        ("02-02-2016", True, dt.date(2016, 2, 2)),
        ("2001-05-30", False, dt.date(2001, 5, 30)),  # a clean ISO file
        ("999", True, None),
        ("", False, None),
    ],
)
def test_dates(text, damaged, expected):
    assert parse_date(text, damaged) == expected


def test_wide_dates_match_the_repaired_issues_csv(wide, deu):
    with (deu / "issues.csv").open(newline="") as handle:
        repaired = {r["isnr"]: r for r in csv.DictReader(handle)}
    for case in wide.cases:
        row = repaired[case.issue_id]
        assert (case.intro.isoformat() if case.intro else "") == row["intro_date"]
        assert (case.final_act.isoformat() if case.final_act else "") == row["finact_date"]
        assert case.wave == row["wave"]


def test_long_layout_equals_wide(wide, deu):
    for source in (deu, deu / "issues.csv", deu / "positions.csv"):
        long = load_deu(source)
        assert long.layout == "long"
        assert [c.issue_id for c in long.cases] == [c.issue_id for c in wide.cases]
        for a, b in zip(long.cases, wide.cases, strict=True):
            assert (a.outcome, a.reference_point, a.n_actors, a.regime) == (
                b.outcome,
                b.reference_point,
                b.n_actors,
                b.regime,
            )
            assert a.scenario == b.scenario


def test_actor_without_salience_is_left_out(wide, deu):
    header, rows = _rows(deu / "deu3.tsv")
    col = {h: n for n, h in enumerate(header)}
    row = next(
        r for r in rows if any(r[col[f"p{a}"]] and not r[col[f"s{a}"]] for a in ("com", "ep", "de", "fr"))
    )
    dropped = {a for a in ("com", "ep", "de", "fr") if row[col[f"p{a}"]] and not row[col[f"s{a}"]]}
    case = next(c for c in wide.cases if c.issue_id == row[col["isnr"]])
    assert dropped and not dropped & set(case.scenario.actor_ids)
    positions = [h for h in header if h.startswith("p") and "s" + h[1:] in col]  # p<actor> with s<actor>
    assert len(positions) == 30
    n_both = sum(1 for h in positions if row[col[h]] and row[col["s" + h[1:]]])
    assert case.n_actors == n_both


def test_capabilities_by_regime(wide, deu):
    by_id = {c.issue_id: c for c in wide.cases}
    # final act 30 May 2001: pre-Nice votes; Commission and Parliament = largest state (10)
    a = by_id["d00032i1"].scenario
    assert (a.actor("com").capability, a.actor("de").capability, a.actor("lu").capability) == (10, 10, 2)
    # introduced 2004, final act 2006: Nice votes (29 for the largest)
    b = by_id["d04167i1"].scenario
    assert (b.actor("ep").capability, b.actor("pl").capability, b.actor("mt").capability) == (29, 27, 3)
    # final act 2019: population proxy, the largest is Germany (83.12 million)
    c = by_id["d160280i1"].scenario
    assert c.actor("com").capability == pytest.approx(83.12)
    assert c.actor("fr").capability == pytest.approx(67.44)
    # the embedded table is the shared one
    assert read_capability_table(deu / "council_capabilities.csv") == DEFAULT_TABLE


def test_vetoes_from_the_decision_rule(wide):
    by_id = {c.issue_id: c for c in wide.cases}
    unan = by_id["d97359i1"]  # COD, unanimity
    assert unan.voting_rule == "Unan" and unan.procedure == "COD"
    arrays = compile_scenario(unan.scenario)
    ids = unan.scenario.actor_ids
    assert all(arrays.veto[ids.index(a), 0] == (a != "com") for a in ids)
    qmv = by_id["d00032i1"]  # COD, QMV: only the Parliament
    vetoes = [a.id for a in qmv.scenario.actors if a.veto]
    assert vetoes == ["ep"]


def test_status_quo_is_the_reference_point(wide):
    case = next(c for c in wide.cases if c.issue_id == "d00032i1")
    assert case.scenario.issues[0].status_quo == 0 and case.outcome == 100
    blank = next(c for c in wide.cases if c.issue_id == "d00032i2")
    assert blank.reference_point is None and blank.scenario.issues[0].status_quo is None


def test_semicolon_release_with_999_and_decimal_commas(deu, tmp_path, wide):
    header, rows = _rows(deu / "deu3.tsv")
    col = {h: n for n, h in enumerate(header)}
    out = tmp_path / "Dataset_DEU_III.csv"
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        for r in rows:
            r = list(r)
            for name in ("rp", "out"):
                r[col[name]] = r[col[name]] or "999"
            r[col["pcom"]] = r[col["pcom"]] + ",0" if r[col["pcom"]] else ""
            writer.writerow(r)
    official = load_deu(out)
    assert [c.scenario for c in official.cases] == [c.scenario for c in wide.cases]
    assert [c.outcome for c in official.cases] == [c.outcome for c in wide.cases]


def _tiny(tmp_path: Path, cells: dict[str, str], name: str = "tiny.tsv") -> Path:
    header = [
        "prnr",
        "prname",
        "isnr",
        "proc",
        "counvte",
        "intro",
        "finact",
        "pcom",
        "scom",
        "pde",
        "sde",
        "pfr",
        "sfr",
        "rp",
        "out",
    ]
    base = {
        "prnr": "d1",
        "prname": "x",
        "isnr": "d1i1",
        "proc": "CNS",
        "counvte": "QMV",
        "intro": "01-02-99",
        "finact": "999",
        "pcom": "0",
        "scom": "50",
        "pde": "50",
        "sde": "50",
        "pfr": "100",
        "sfr": "50",
        "rp": "",
        "out": "40",
    }
    base.update(cells)
    path = tmp_path / name
    path.write_text("\t".join(header) + "\n" + "\t".join(base[h] for h in header) + "\n")
    return path


def test_tiny_file_reads(tmp_path):
    data = load_deu(_tiny(tmp_path, {}))
    (case,) = data.scoreable
    assert case.regime == "pre-nice" and case.wave == "A_EU15_1996-2000" and case.final_act is None
    assert case.scenario.actor("fr").capability == 10


@pytest.mark.parametrize(
    ("cells", "field", "fragment"),
    [
        ({"pde": "abc"}, "pde", "not a number"),
        ({"sfr": "150"}, "sfr", "outside the DEU scale"),
        ({"out": "-5"}, "out", "outside the DEU scale"),
        ({"intro": "31-31-99"}, "intro", "month must be"),
        ({"finact": "2099-02-30"}, "finact", "day is out of range"),
    ],
)
def test_bad_cells_name_file_row_and_column(tmp_path, cells, field, fragment):
    path = _tiny(tmp_path, cells)
    with pytest.raises(ScenarioError) as info:
        load_deu(path)
    (problem,) = info.value.problems
    assert problem.file == str(path) and problem.line == 2 and problem.field == field
    assert fragment in str(problem)


def test_missing_columns_and_short_rows(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("prnr\tisnr\tpcom\tscom\nd1\td1i1\t5\n")
    with pytest.raises(ScenarioError) as info:
        load_deu(path)
    text = str(info.value)
    assert "row 1" in text and "proc, counvte" in text


def test_long_pair_errors(tmp_path, deu):
    (tmp_path / "issues.csv").write_text((deu / "issues.csv").read_text())
    with pytest.raises(ScenarioError, match="positions.csv is missing"):
        load_deu(tmp_path / "issues.csv")
    (tmp_path / "positions.csv").write_text(
        "isnr,actor,position,salience\nd00032i1,xx,10,20\nnope,com,10,20\n"
    )
    with pytest.raises(ScenarioError) as info:
        load_deu(tmp_path)
    rows = {(p.line, p.field) for p in info.value.problems}
    assert rows == {(2, "actor"), (3, "isnr")}


def test_all_zero_saliences_still_make_a_case(tmp_path):
    data = load_deu(_tiny(tmp_path, {"scom": "0", "sde": "0", "sfr": "0"}))
    (case,) = data.scoreable
    assert case.n_actors == 3 and compile_scenario(case.scenario).weight().sum() == 0


def test_row_without_issue_id_is_skipped(tmp_path):
    path = _tiny(tmp_path, {})
    lines = path.read_text().splitlines()
    gdp = "\t".join(["", "", "", "", "", "", "", "1000", "", "3000", "", "2000", "", "", ""])
    path.write_text("\n".join([lines[0], gdp, lines[1]]) + "\n")
    assert [c.issue_id for c in load_deu(path).cases] == ["d1i1"]


def test_capability_table_needs_a_weight_for_every_regime(tmp_path):
    # without a single Lisbon weight, capability() would take max() of nothing (a ValueError)
    path = tmp_path / "caps.csv"
    path.write_text("actor,name,pre-Nice votes,Nice votes,population\nde,Germany,10,29,\nfr,France,10,29,-1\n")
    with pytest.raises(ScenarioError) as info:
        read_capability_table(path)
    text = str(info.value)
    assert "population" in text and "no weight" in text
    assert "row 3" in text and "'-1'" in text  # and a negative weight is named where it stands
