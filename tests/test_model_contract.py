"""The model contract: declared parameters checked when a model is made, names looked up with
suggestions, declared tags, one run path that checks the arrays and the seed, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass

import numpy as np
import pytest

from accord.errors import AccordError
from accord.models import Model, Param, available_models, get_model, model_class, param
from accord.models.base import INVARIANTS
from accord.scenario import compile_scenario
from accord.scenario.arrays import ScenarioArrays, check_arrays
from accord.scenario.builtin import load_builtin

from helpers import scenario

ARRAYS = compile_scenario(load_builtin())


# ----------------------------------------------------------------------------- parameters
@pytest.mark.parametrize("name", available_models())
def test_every_parameter_is_declared_with_type_default_and_doc(name):
    cls = model_class(name)
    declared = cls.parameters()
    model = cls()
    assert list(declared) == list(model.params())
    for p in declared.values():
        assert isinstance(p, Param) and p.type in (int, float, bool, str, tuple)
        assert p.doc and "\n" not in p.doc
        assert model.params()[p.name] == p.default
        if p.choices is not None:
            assert p.type is str and p.default in p.choices
        if p.low is not None and p.default is not None:
            assert p.default >= p.low
        json.dumps(p.as_dict())
    # the parameters a model reports make the same model again
    assert get_model(name, **model.params()) == model


def test_parameters_of_one_model_by_hand():
    rounds = model_class("eum").parameters()["rounds"]
    assert (rounds.type, rounds.default, rounds.low, rounds.high, rounds.nullable) == (int, 10, 0, None, False)
    stop = model_class("eum").parameters()["stop_tol"]
    assert (stop.type, stop.nullable, stop.expected()) == (float, True, "a finite number >= 0 or null")
    prob = model_class("eum").parameters()["probability"]
    assert prob.choices == ("pairwise", "global") and prob.expected() == "one of pairwise, global"
    acc = model_class("smp").parameters()["accommodation"]
    assert (acc.type, acc.default, acc.nullable) == (tuple, None, True)


def test_a_near_miss_choice_fails_with_a_suggestion():
    with pytest.raises(AccordError) as err:
        get_model("eum", probability="pairwize")
    assert str(err.value) == ("eum: probability must be one of pairwise, global (got 'pairwize'); "
                              "did you mean 'pairwise'?")


@pytest.mark.parametrize(("name", "params", "message"), [
    ("eum", {"rounds": True}, "eum: rounds must be a whole number >= 0 (got True)"),  # bool is no int
    ("eum", {"rounds": 2.0}, "eum: rounds must be a whole number >= 0 (got 2.0)"),
    ("eum", {"Q": "0.5"}, "eum: Q must be a finite number in [0, 1] (got '0.5')"),
    ("eum", {"Q": float("nan")}, "eum: Q must be a finite number in [0, 1] (got nan)"),
    ("eum", {"T": -0.1}, "eum: T must be a finite number in [0, 1] (got -0.1)"),
    ("eum", {"capitulation": 1}, "eum: capitulation must be true or false (got 1)"),
    ("exchange", {"p": 1.5}, "exchange: p must be a finite number in [0, 1] (got 1.5)"),
    ("exchange", {"threads": 0}, "exchange: threads must be a whole number >= 1 (got 0)"),
    ("smp", {"accommodation": [[1, "x"]]}, "smp: accommodation must be a matrix (rows of numbers) or "
                                           "null (got [[1, 'x']])"),
])
def test_wrong_type_or_range_fails_at_construction(name, params, message):
    with pytest.raises(AccordError) as err:
        get_model(name, **params)
    assert str(err.value) == message


def test_values_are_kept_in_canonical_form():
    eum = get_model("eum", Q=1, rounds=np.int64(4), capitulation=np.bool_(False))
    assert (eum.Q, type(eum.Q), eum.rounds, type(eum.rounds), eum.capitulation) == (1.0, float, 4, int, False)
    smp = get_model("smp", accommodation=np.eye(2), state_transitions="stochastic")
    assert smp.accommodation == ((1.0, 0.0), (0.0, 1.0)) and smp.state_transitions == "Stochastic"
    hash(smp)  # a model is an immutable value


def test_unknown_parameter_names_are_errors_everywhere():
    with pytest.raises(AccordError) as err:
        get_model("eum", round=3)
    assert str(err.value).startswith("eum: no parameter 'round'; did you mean 'rounds'? (its parameters: rounds, Q, T")
    with pytest.raises(AccordError, match=r"compromise: no parameter 'rounds' \(its parameters: none\)"):
        get_model("compromise").with_params(rounds=3)
    with pytest.raises(AccordError, match="did you mean 'tie_break'"):
        get_model("exchange").with_params(tiebreak="first")


def test_shared_parameters_go_to_the_models_that_have_them():
    shared = {"rounds": 4, "tie_break": "first"}
    assert model_class("eum").own_params(shared) == {"rounds": 4}
    assert model_class("compromise").own_params(shared) == {}
    assert model_class("exchange").own_params(shared) == shared


def test_a_model_must_declare_its_fields_and_may_not_override_run():
    @dataclass(frozen=True)
    class Undeclared(Model):
        name = "undeclared"
        rounds: int = 3

    with pytest.raises(TypeError, match="declare model parameters with param"):
        Undeclared()
    with pytest.raises(TypeError, match="implement _run"):
        class Bypass(Model):  # noqa: F841
            def run(self, arrays, rng=None):
                return None
    with pytest.raises(TypeError, match="unknown invariants"):
        class Claims(Model):  # noqa: F841
            invariants = frozenset({"symmetry"})

    @dataclass(frozen=True)
    class Declared(Model):
        name = "declared"
        level: str = param("a", "a choice", choices=("a", "b"))

    assert Declared(level="B").level == "b"


# ----------------------------------------------------------------------------- registry and tags
def test_names_are_looked_up_without_regard_to_case_and_suggested():
    assert model_class("EUM") is model_class("eum") and get_model("Weighted-Median").name == "weighted-median"
    with pytest.raises(AccordError) as err:
        model_class("eum-scholtz")
    assert str(err.value).startswith("unknown model 'eum-scholtz'; did you mean 'eum-scholz'? (available: compromise")


def test_capabilities_are_declared_tags():
    tags = {name: (model_class(name).dynamic, model_class(name).uses_rng, model_class(name).detail_levels,
                   model_class(name).min_issues) for name in available_models()}
    assert tags["compromise"] == (False, False, (), 1)
    assert tags["eum"] == tags["eum-scholz"] == (True, False, ("full", "summary"), 1)
    assert tags["exchange"] == tags["exchange-random"] == (True, True, ("full", "summary"), 2)
    assert tags["smp"] == (True, True, ("full", "summary"), 1)
    for name in available_models():
        cls = model_class(name)
        assert cls.invariants <= INVARIANTS
        assert ("details" in cls.parameters()) == bool(cls.detail_levels)


def test_importing_the_models_loads_no_numerics():
    """Listing the models, reading their parameters and making one import no numba, scipy or
    pandas (a fresh interpreter, so that nothing else imported them first)."""
    code = ("import sys\n"
            "import accord.models as m\n"
            "for n in m.available_models():\n"
            "    m.model_class(n).parameters(); m.get_model(n)\n"
            "print([x for x in ('numba', 'scipy', 'pandas') if x in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


# ----------------------------------------------------------------------------- the run boundary
def _bad_builtin() -> ScenarioArrays:
    """The built-in scenario with the US at 600 on the 0..100 territory scale and Russia's
    position on guarantees missing (NaN)."""
    position = ARRAYS.position.copy()
    position[0, 0] = 600.0
    position[1, 1] = np.nan
    return ARRAYS.replace(position=position)


@pytest.mark.parametrize("name", available_models())
def test_every_model_rejects_a_position_off_the_scale_and_a_nan(name):
    with pytest.raises(AccordError) as err:
        get_model(name).run(_bad_builtin())
    text = str(err.value)
    assert "actor 'us', issue 'territory': position 600; expected within the issue's scale 0..100" in text
    assert "actor 'russia', issue 'guarantees': position nan; expected a finite number" in text


@pytest.mark.parametrize(("change", "expected"), [
    ({"salience": 1.5}, "actor 'us', issue 'territory': salience 1.5; expected a finite number in 0..1"),
    ({"salience": -0.1}, "salience -0.1; expected a finite number in 0..1"),
    ({"capability": -1.0}, "actor 'us', issue 'territory': capability -1; expected a finite number >= 0"),
    ({"capability": np.inf}, "capability inf; expected a finite number >= 0"),
    ({"position": -1e-6}, "position -1e-06; expected within the issue's scale 0..100"),
])
def test_each_value_rule_names_actor_issue_value_and_expectation(change, expected):
    (field, value), = change.items()
    values = getattr(ARRAYS, field).copy()
    values[0, 0] = value
    with pytest.raises(AccordError, match="no model can run on") as err:
        check_arrays(ARRAYS.replace(**{field: values}))
    assert expected in str(err.value)


def test_rounding_at_the_scale_ends_is_tolerated_and_off_stake_cells_are_free():
    position = ARRAYS.position.copy()
    position[0, 0] = 100 + 5e-8  # 5e-10 of the span: a rescaled value's rounding
    check_arrays(ARRAYS.replace(position=position))
    stake = ARRAYS.stake.copy()
    stake[0, 0] = False
    position[0, 0] = 600.0  # no stake: the position is not used (but must be finite)
    check_arrays(ARRAYS.replace(position=position, stake=stake))


def test_scale_status_quo_and_shapes_are_checked():
    upper = ARRAYS.upper.copy()
    upper[2] = 0.0
    with pytest.raises(AccordError, match="issue 'nato': scale 0..0; expected finite ends with lower < upper"):
        check_arrays(ARRAYS.replace(upper=upper))
    sq = ARRAYS.status_quo.copy()
    sq[3] = 101.0
    with pytest.raises(AccordError, match="issue 'army_cap': status quo 101; expected none"):
        check_arrays(ARRAYS.replace(status_quo=sq))
    with pytest.raises(AccordError, match=r"position: shape \(11, 9\); expected \(\.\.\., 11, 10\)"):
        check_arrays(ARRAYS.replace(position=ARRAYS.position[:, :9]))
    with pytest.raises(AccordError, match="stake must be a boolean"):
        check_arrays(ARRAYS.replace(stake=ARRAYS.stake.astype(int)))
    with pytest.raises(AccordError, match="salience: shape"):
        check_arrays(ARRAYS.broadcast(2).replace(salience=np.ones((3, 11, 10))))
    with pytest.raises(AccordError, match="actor_ids: 2 labels for 11 actors"):
        check_arrays(ARRAYS.replace(actor_ids=("a", "b")))


def test_draws_are_named_and_long_lists_cut_short():
    batch = ARRAYS.broadcast(3)
    position = batch.position.copy()
    position[2, 4, 1] = -5.0
    with pytest.raises(AccordError, match="actor 'france', issue 'guarantees', draw 2: position -5"):
        check_arrays(batch.replace(position=position))
    position = batch.position.copy()
    position[:, :, 0] = np.nan  # 3 draws x 11 actors
    with pytest.raises(AccordError, match=r"33 problems[\s\S]*\.\.\. and 28 more"):
        check_arrays(batch.replace(position=position))


def test_unlabelled_arrays_name_actors_and_issues_by_index():
    arrays = ScenarioArrays(np.array([[5.0]]), np.array([[0.5]]), np.array([[1.0]]), np.ones((1, 1), bool),
                            np.array([0.0]), np.array([1.0]), np.array([np.nan]), np.zeros((1, 1), bool))
    with pytest.raises(AccordError, match="actor #0, issue #0: position 5; expected within the issue's scale 0..1"):
        get_model("compromise").run(arrays)


def test_labels_travel_beside_the_arrays():
    arrays = compile_scenario(scenario([("a", 1.0), ("b", 2.0)], [("a", "x", 10, 50), ("b", "y", 20, 50)]))
    assert arrays.actor_ids == ("a", "b") and arrays.issue_ids == ("x", "y")
    assert arrays.issue(1).issue_ids == ("y",) and arrays.issue(1).actor_ids == ("a", "b")
    assert arrays.broadcast(2).actor_ids == ("a", "b")
    more = arrays.replace(stake=np.ones((3, 2), bool))  # the actor count changed: labels dropped
    assert more.actor_ids == () and more.issue_ids == ("x", "y")


def test_a_seed_comes_in_any_form_and_none_means_zero():
    model = get_model("smp", state_transitions="Stochastic", rounds=3)
    runs = [model.run(ARRAYS, rng=seed).positions for seed in
            (None, 0, np.random.SeedSequence(0), np.random.default_rng(0))]
    for positions in runs[1:]:
        np.testing.assert_array_equal(positions, runs[0])
    with pytest.raises(TypeError, match="a seed must be"):
        model.run(ARRAYS, rng="0")
