"""Events over outcomes: the safe parser, its errors, and probabilities worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from accord.errors import AccordError
from accord.experiments.events import parse_event
from accord.experiments.expr import ExpressionError

ISSUES = ["territory", "guarantees", "nato"]
# four draws of (territory, guarantees, nato)
OUTCOMES = np.array([[80.0, 20.0, 50.0], [60.0, 20.0, 10.0], [80.0, 40.0, 90.0], [75.0, 10.0, 70.0]])


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("territory >= 70 and guarantees <= 30", [True, False, False, True]),
        ("territory >= 70 or guarantees <= 30", [True, True, True, True]),
        ("not territory >= 70", [False, True, False, False]),
        ("not (territory > 70 and nato > 60)", [True, True, False, False]),
        ("territory > 70 and (guarantees < 15 or nato == 90)", [False, False, True, True]),
        ("guarantees != 20", [False, False, True, True]),
        ("40 < nato <= 70", [True, False, False, True]),  # chained comparison
        ("territory - guarantees >= 60", [True, False, False, True]),
        ("(territory + guarantees) / 2 > 50 and -nato < -20", [False, False, True, False]),  # means 50, 40, 60, 42.5
        ("territory>=75and nato<60", [True, False, False, False]),
        ("nato >= 1e1", [True, True, True, True]),
    ],
)
def test_events_evaluate_per_draw(expr, expected):
    assert parse_event(expr, ISSUES).holds(OUTCOMES).tolist() == expected


def test_probability_and_standard_error_by_hand():
    p, se = parse_event("territory >= 70 and guarantees <= 30", ISSUES).probability(OUTCOMES)
    assert p == 0.5
    assert se == pytest.approx(math.sqrt(0.5 * 0.5 / 4))  # 0.25


def test_missing_outcomes_make_comparisons_false():
    outcomes = np.array([[np.nan, 1.0, 1.0]])
    assert not parse_event("territory >= 0", ISSUES).holds(outcomes)[0]
    assert parse_event("territory != 5", ISSUES).holds(outcomes)[0]


def test_batch_axes_are_kept():
    outcomes = np.zeros((3, 5, 3))
    outcomes[1, 2, 0] = 90
    hits = parse_event("territory > 50", ISSUES).holds(outcomes)
    assert hits.shape == (3, 5) and hits.sum() == 1 and hits[1, 2]


@pytest.mark.parametrize(
    ("expr", "column", "words"),
    [
        ("__import__('os')", 12, "unexpected character"),
        ("__import__(territory) > 1", 11, "calls are not allowed"),
        ("territory.real > 1", 10, "unexpected character '.'"),
        ("abs(territory) > 1", 4, "calls are not allowed"),
        ("terr >= 70", 1, "unknown issue 'terr'"),
        ("territory >= 70 and guarantee <= 30", 21, "unknown issue 'guarantee'"),
        ("territory >=", 13, "expected a number"),
        ("(territory >= 70", 17, "expected ')'"),
        ("territory >= 70)", 16, "unexpected ')'"),
        ("territory", 1, "expected a condition"),
        ("territory > 1 and 5", 19, "expected a condition"),
        ("(territory > 1) + 2 > 0", 2, "expected a number here"),
        ("territory[0] > 1", 1, "subscripts are not allowed"),
        ("territory > 'x'", 13, "unexpected character"),
        ("lambda: 1", 7, "unexpected character ':'"),
        ("territory = 70", 11, "unexpected '='"),
        ("", 1, "empty expression"),
        ("territory >= 70 and", 20, "expected a number"),
    ],
)
def test_rejected_input_names_the_column(expr, column, words):
    with pytest.raises(ExpressionError) as info:
        parse_event(expr, ISSUES)
    message = str(info.value)
    assert isinstance(info.value, AccordError)
    assert words in message and f"column {column}:" in message, message


def test_an_event_without_issues_holds_per_draw():
    # '1 < 2' mentions no issue: it holds in each of the 4 draws, so holds() is [True] * 4
    event = parse_event("1 < 2", ["x"])
    assert event.holds(np.zeros((4, 1))).tolist() == [True] * 4
    assert parse_event("2 < 1 or x > 5", ["x"]).holds(np.array([[1.0], [9.0]])).tolist() == [False, True]
