"""Structural facts an analyst would demand of the built-in scenario ``ukraine-2025-12``.

These tests check the data file, not model outputs: that it loads, that every number is
sourced and carries an uncertainty, that the scales are labelled at both ends, that the
proposals are the five published texts in date order, and that the baseline uses only
evidence available on the as-of date.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

from accord.scenario import compile_scenario
from accord.scenario.builtin import builtin_names, load_builtin
from accord.scenario.decisions import individual_vetoes, rule_warnings
from accord.scenario.schema import Scenario

NAME = "ukraine-2025-12"
AS_OF = dt.date(2025, 12, 8)
PROPOSALS_IN_ORDER = ["28-point", "geneva-19", "berlin-2025-12-15", "framework-20"]


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_builtin(NAME)


def test_it_ships_and_loads_without_problems(scenario: Scenario) -> None:
    assert NAME in builtin_names()
    assert scenario.id == NAME
    assert scenario.as_of == AS_OF
    assert scenario.salience_scale == 100


def test_the_actors_the_design_names_are_present(scenario: Scenario) -> None:
    names = " | ".join(a.name for a in scenario.actors).lower()
    for word in ("united states", "russia", "ukraine", "european union", "france", "germany",
                 "united kingdom", "poland", "armed forces", "rada", "congress"):
        assert word in names, word


def test_suggested_issues_are_present_with_8_to_10_issues(scenario: Scenario) -> None:
    suggested = {"territory", "guarantees", "nato", "army_cap", "sanctions", "frozen_assets",
                 "ceasefire", "elections_amnesty", "zaporizhzhia_npp"}
    assert suggested <= set(scenario.issue_ids)
    assert 8 <= len(scenario.issues) <= 10


def _cited(scenario: Scenario) -> list:
    return [*scenario.actors, *scenario.positions, *scenario.proposals, *scenario.issues,
            *scenario.decision_rules, *scenario.no_deal]


def test_every_actor_position_and_proposal_cites_an_existing_source(scenario: Scenario) -> None:
    known = {s.id for s in scenario.sources}
    for item in _cited(scenario):
        assert item.sources, item
        assert set(item.sources) <= known, item


def test_every_source_is_used_and_paraphrased_on_one_line(scenario: Scenario) -> None:
    used = {sid for x in _cited(scenario) for sid in x.sources}
    for source in scenario.sources:
        assert source.id in used, f"source {source.id} is listed but never cited"
        assert source.quote and "\n" not in source.quote and len(source.quote) <= 240, source.id
        assert source.url is None or urlparse(source.url).scheme == "https", source.id


def test_every_number_has_an_uncertainty_and_a_justification(scenario: Scenario) -> None:
    for actor in scenario.actors:
        assert actor.capability_uncertainty is not None, actor.id
        assert actor.notes and len(actor.notes) > 40, actor.id
    for p in scenario.positions:
        assert p.position_uncertainty is not None, (p.actor, p.issue)
        assert p.salience_uncertainty is not None, (p.actor, p.issue)
        assert p.note, (p.actor, p.issue)
    for issue in scenario.issues:
        if issue.status_quo is not None:
            assert issue.status_quo_uncertainty is not None, issue.id
        assert issue.description, issue.id
    for entry in scenario.no_deal:
        assert entry.uncertainty is not None and entry.date is not None, (entry.issue, entry.actor)
        assert entry.note and len(entry.note) > 40, (entry.issue, entry.actor)
    for rule in scenario.decision_rules:
        assert rule.name and rule.note and len(rule.note) > 40, rule.id


def test_each_scale_is_labelled_at_both_ends_with_ordered_distinct_anchors(scenario: Scenario) -> None:
    for issue in scenario.issues:
        scale = issue.scale
        assert scale.label(scale.min) and scale.label(scale.max), issue.id
        assert len(scale.anchors) >= 3, f"{issue.id}: label the intermediate points the texts discuss"
        labels = list(scale.anchors.values())
        assert len(set(labels)) == len(labels), issue.id


def test_signatories_hold_positions_on_every_issue_and_vetoes_have_stakes(scenario: Scenario) -> None:
    stakes = {(p.actor, p.issue) for p in scenario.positions}
    for actor in ("russia", "ukraine"):
        assert all((actor, k) in stakes for k in scenario.issue_ids), actor
    for actor in scenario.actors:
        assert any(a == actor.id for a, _ in stakes), f"{actor.id} has no stake anywhere"
    vetoes = individual_vetoes(scenario)
    veto = {a.id: {k for n, k in enumerate(scenario.issue_ids) if vetoes[a_n, n]}
            for a_n, a in enumerate(scenario.actors)}
    for actor_id, issues in veto.items():
        for issue_id in issues:
            assert (actor_id, issue_id) in stakes, f"{actor_id} vetoes {issue_id} without a position"
    assert {"territory", "nato"} <= veto["ua_rada"]
    assert "territory" in veto["russia"] and "territory" in veto["ukraine"]
    assert "sanctions" in veto["us_congress"]


def test_every_issue_has_a_decision_rule_naming_only_actors(scenario: Scenario) -> None:
    # validate's warnings: a rule naming a non-actor, or an issue nobody must agree to
    assert rule_warnings(scenario) == []
    ruled = {i for rule in scenario.decision_rules for i in rule.issues}
    assert ruled == set(scenario.issue_ids)
    assert not any(a.veto for a in scenario.actors), "vetoes follow from the decision rules"


def test_no_deal_expectations_cite_evidence_from_before_the_as_of_date(scenario: Scenario) -> None:
    dated = {s.id: s.date for s in scenario.sources}
    for item in [*scenario.no_deal, *scenario.decision_rules]:
        for sid in item.sources:
            assert dated[sid] is None or dated[sid] <= AS_OF, f"{item} cites {sid} of {dated[sid]}"
    russia = {e.issue: e for e in scenario.no_deal if e.actor == "russia"}
    assert russia["territory"].value > scenario.issue("territory").status_quo, "Russia expects to gain ground"


def test_the_five_published_texts_are_proposals_in_date_order(scenario: Scenario) -> None:
    ids = {p.id for p in scenario.proposals}
    assert {*PROPOSALS_IN_ORDER, "european-counter"} <= ids
    dates = [scenario.proposal(pid).date for pid in PROPOSALS_IN_ORDER]
    assert all(d is not None for d in dates)
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    counter = scenario.proposal("european-counter").date
    assert dates[0] <= counter <= dates[1]
    assert dates[0] < AS_OF < dates[2], "Berlin and the 20-point framework post-date the as-of date"


def test_every_proposal_point_is_justified(scenario: Scenario) -> None:
    for prop in scenario.proposals:
        assert set(prop.notes) == set(prop.points), prop.id
        assert all(note.strip() for note in prop.notes.values()), prop.id


def test_baseline_uses_only_evidence_dated_by_the_as_of_date(scenario: Scenario) -> None:
    dated = {s.id: s.date for s in scenario.sources}
    for item, label in [*((a, a.id) for a in scenario.actors),
                        *((p, f"{p.actor}/{p.issue}") for p in scenario.positions)]:
        for sid in item.sources:
            assert dated[sid] is None or dated[sid] <= AS_OF, f"{label} cites {sid} of {dated[sid]}"


def test_proposals_do_not_enter_the_baseline_arrays(scenario: Scenario) -> None:
    with_proposals = compile_scenario(scenario)
    without = compile_scenario(scenario.model_copy(update={"proposals": []}))
    for field in ("position", "salience", "capability", "stake", "status_quo", "veto"):
        np.testing.assert_array_equal(getattr(with_proposals, field), getattr(without, field))


def _facts(shared_dir: Path) -> str:
    path = shared_dir / "ukraine" / "facts-2025-12.md"
    if not path.exists():
        pytest.skip("the facts file is not in the shared folder")
    return path.read_text(encoding="utf-8")


def test_no_source_comes_from_an_outlet_the_facts_file_flags(scenario: Scenario, shared_dir: Path) -> None:
    notes = _facts(shared_dir).split("Source-quality notes", 1)[1].split("---", 1)[0]
    flagged = [d.removeprefix("*.") for d in re.findall(r"`([^`]+)`", notes)]
    assert "news-pravda.com" in flagged and "particle.news" in flagged  # the parse found the list
    for source in scenario.sources:
        host = urlparse(source.url or "").netloc.lower()
        assert not any(host == d or host.endswith("." + d) for d in flagged), source.id


def test_the_seed_article_is_cited_and_named(scenario: Scenario, shared_dir: Path) -> None:
    seeds = sorted((shared_dir / "seed").glob("*.txt"))
    if not seeds:
        pytest.skip("no seed article in the shared folder")
    first_line = seeds[0].read_text(encoding="utf-8").splitlines()[0]
    seed_sources = [s for s in scenario.sources if seeds[0].name in s.citation]
    assert len(seed_sources) == 1
    words = re.findall(r"[a-z]+", first_line.lower())
    cited = re.findall(r"[a-z]+", seed_sources[0].citation.lower())
    assert words and all(w in cited for w in words)
    assert any(seed_sources[0].id in p.sources for p in scenario.positions)
