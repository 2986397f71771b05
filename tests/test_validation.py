"""Every kind of bad input gets its own readable problem, with file, line and field."""

from __future__ import annotations

import textwrap

import pytest

from accord.errors import ScenarioError
from accord.scenario.io import load_scenario

GOOD = """\
id: t
title: Test
sources:
  - {id: s1, citation: "A paper"}
actors:
  - {id: a, name: A, capability: 50, sources: [s1]}
  - {id: b, name: B, capability: 30}
issues:
  - id: x
    name: X
    scale: {min: 0, max: 100, anchors: {0: none, 100: all}}
    status_quo: 20
  - {id: y, name: Y}
positions:
  - {actor: a, issue: x, position: 10, salience: 80, sources: [s1]}
  - {actor: b, issue: x, position: 70, salience: 40}
  - {actor: a, issue: y, position: 30, salience: 50}
"""


def problems_of(tmp_path, text: str, name: str = "s.yaml", **kw) -> list[str]:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text)) if isinstance(text, str) else path.write_bytes(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, **kw)
    return [str(p) for p in info.value.problems]


def test_good_file_loads(tmp_path):
    (tmp_path / "s.yaml").write_text(GOOD)
    s = load_scenario(tmp_path / "s.yaml")
    assert s.actor_ids == ["a", "b"] and s.issue_ids == ["x", "y"]


BROKEN = [
    # (description, replace this, with this, expected words, expected line)
    ("unknown actor", "{actor: b, issue: x", "{actor: zz, issue: x", "unknown actor id (got 'zz')", 16),
    ("unknown issue", "{actor: a, issue: y", "{actor: a, issue: q", "unknown issue id (got 'q')", 17),
    ("duplicate actor", "{id: b, name: B", "{id: a, name: B", "duplicate id in actors", 6),
    ("position off scale", "position: 70", "position: 170", "position on x's scale is outside its range (got 170.0); expected a number from 0 to 100", 16),
    ("salience too high", "salience: 40", "salience: 140", "salience is outside its range (got 140.0)", 16),
    ("capability negative", "capability: 30", "capability: -3", "capability is outside its range (got -3.0)", 7),
    ("nan", "position: 10", "position: .nan", "finite number", 15),
    ("inf", "salience: 50", "salience: .inf", "finite number", 17),
    ("empty value", "position: 30", "position: ", "has no value", 17),
    ("wrong type", "position: 70", "position: high", "valid number", 16),
    ("unknown source", "sources: [s1]}\n  - {id: b", "sources: [s9]}\n  - {id: b", "unknown source id (got 's9')", 6),
    ("status quo off scale", "status_quo: 20", "status_quo: 200", "status quo is outside its range", 12),
    ("typo field", "salience: 80,", "salince: 80,", "Extra inputs are not permitted", 15),
    ("missing field", "salience: 80, ", "", "salience: required field is missing", 15),
    ("nobody on issue", "{id: y, name: Y}", "{id: y, name: Y}\n  - {id: z, name: Z}", "nobody has a stake in issue z", 14),
    ("duplicate key", "title: Test", "title: Test\ntitle: Again", "key appears twice", 3),
    ("duplicate position", "  - {actor: a, issue: y", "  - {actor: a, issue: x, position: 1, salience: 1}\n  - {actor: a, issue: y", "second position of a on x", 17),
]


@pytest.mark.parametrize(("what", "old", "new", "words", "line"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_yaml(tmp_path, what, old, new, words, line):
    assert old in GOOD
    problems = problems_of(tmp_path, GOOD.replace(old, new, 1))
    hits = [p for p in problems if words in p]
    assert hits, problems
    assert f"s.yaml, line {line}:" in hits[0]


def test_all_problems_reported_at_once(tmp_path):
    text = GOOD.replace("position: 70", "position: 170").replace("salience: 50", "salience: 140")
    text = text.replace("capability: 30", "capability: -1")
    problems = problems_of(tmp_path, text)
    assert len(problems) == 3, problems


def test_all_zero_weights(tmp_path):
    text = GOOD.replace("salience: 50", "salience: 0")
    assert any("every capability x salience on issue y is zero" in p for p in problems_of(tmp_path, text))


def test_unit_salience_variant_is_checked_against_0_1(tmp_path):
    text = "salience_scale: 1\n" + GOOD.replace("salience: 80", "salience: 0.8").replace(
        "salience: 40", "salience: 0.4")
    problems = problems_of(tmp_path, text)
    assert len(problems) == 1 and "from 0 to 1" in problems[0] and "(got 50.0)" in problems[0]


def test_empty_file(tmp_path):
    assert "the file is empty" in problems_of(tmp_path, "  \n")[0]


def test_binary_file(tmp_path):
    assert "binary file" in problems_of(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00", name="x.csv")[0]


def test_not_the_format_claimed(tmp_path):
    assert "not valid JSON" in problems_of(tmp_path, GOOD, format="json")[0]


def test_yaml_syntax_error_has_line(tmp_path):
    problems = problems_of(tmp_path, GOOD.replace("  - {id: b, name: B", "  - {id: b, name: [B"))
    assert "not valid YAML" in problems[0] and "line" in problems[0]


def test_undetectable_format(tmp_path):
    assert "cannot tell which format" in problems_of(tmp_path, "hello,world\n1,2\n", name="x.csv")[0]


def test_bdm_table_bad_cell_names_row(tmp_path):
    text = "Actor,Capability,Position,Salience\nA,0.5,4,80\nB,zero,7,40\nC,0.2,,20\n"
    problems = problems_of(tmp_path, text, name="t.csv")
    assert any("row 3" in p and "capability" in p and "'zero'" in p for p in problems), problems
    assert any("row 4" in p and "position" in p for p in problems), problems


def test_long_csv_bad_rows(tmp_path):
    text = "actor,issue,position,salience,capability\nA,x,10,50,30\nB,x,110,50,20\nA,y,5,500,30\n"
    problems = problems_of(tmp_path, text, name="t.csv")
    assert any("row 3" in p and "position" in p for p in problems), problems
    assert any("row 4" in p and "salience" in p for p in problems), problems
