"""``accord.models.checks``: every built-in model passes; a user's model is checked the same way;
deliberately broken models are caught, each by the invariant it breaks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from accord.models import Trajectory, available_models, get_model, model_class, param, register
from accord.models import registry as registry_module
from accord.models.base import INVARIANTS, Model, static_trajectory
from accord.models.baseline.compromise import Compromise, weighted_mean
from accord.models.checks import assert_model_ok, check_model, random_arrays
from accord.scenario.arrays import check_arrays


@pytest.fixture
def clean_registry(monkeypatch):
    """Models registered in a test are gone after it."""
    monkeypatch.setattr(registry_module, "_REGISTRY", dict(registry_module._REGISTRY))


def quick(name: str) -> Model:
    return get_model(name, **model_class(name).own_params({"rounds": 3}))


@pytest.mark.parametrize("name", available_models())
def test_builtin_model_keeps_its_invariants(name):
    assert check_model(quick(name), n_cases=8, seed=1) == []


def test_random_scenarios_are_valid_and_vary():
    rng = np.random.default_rng(0)
    cases = [random_arrays(rng) for _ in range(40)]
    for arrays in cases:
        check_arrays(arrays)
        assert (arrays.weight().max(axis=0) > 0).all()  # every issue has a stakeholder with weight
    assert {a.n_actors for a in cases} == set(range(2, 9))
    assert any(not a.stake.all() for a in cases) and any(a.veto.any() for a in cases)
    assert any(np.isnan(a.status_quo).any() for a in cases) and any(np.isfinite(a.status_quo).any() for a in cases)


def test_a_users_model_is_registered_and_checked_like_the_built_in_ones(clean_registry):
    @register
    @dataclass(frozen=True)
    class Trimmed(Model):
        """The weighted mean of the positions, pulled toward the weighted median by ``pull``."""

        name = "trimmed"
        summary = "weighted mean pulled toward the weighted median"
        pull: float = param(0.5, "share of the way from the weighted mean to the weighted median",
                            low=0, high=1)

        def _run(self, arrays, rng):
            from accord.models.baseline.median import weighted_median

            w = arrays.weight()
            mean, median = weighted_mean(arrays.position, w), weighted_median(arrays.position, w)
            return static_trajectory(arrays, mean + self.pull * (median - mean))

    assert "trimmed" in available_models()
    model = get_model("Trimmed", pull=0.25)
    assert model.pull == 0.25 and model_class("TRIMMED") is Trimmed
    assert_model_ok(model, n_cases=10)


def test_a_model_that_ignores_capability_is_caught():
    """A 'compromise' that forgets capabilities (the salience-weighted mean) keeps invariance under
    scaling every capability, but not the claim that a sole holder of capability decides."""

    @dataclass(frozen=True)
    class NoCapability(Compromise):
        def _run(self, arrays, rng):
            w = arrays.salience * arrays.stake
            return static_trajectory(arrays, weighted_mean(arrays.position, w))

    failures = check_model(NoCapability(), n_cases=10)
    assert [f.invariant for f in failures] == ["sole_weight"]
    assert "only one with capability" in failures[0].message
    with pytest.raises(AssertionError, match="sole_weight"):
        assert_model_ok(NoCapability(), n_cases=10)


def test_a_model_with_outcomes_off_the_scale_is_caught():
    """The compromise plus 5% of the scale: off the scale near its upper end, and never at the
    point where every stakeholder stands."""

    @dataclass(frozen=True)
    class Overshoot(Model):
        name = "overshoot"

        def _run(self, arrays, rng):
            span = arrays.upper - arrays.lower
            return static_trajectory(arrays, weighted_mean(arrays.position, arrays.weight()) + 0.05 * span)

    failures = {f.invariant: f for f in check_model(Overshoot(), n_cases=10)}
    assert "bounds" in failures and "unanimity" in failures
    assert "is not within" in failures["bounds"].message
    assert failures["bounds"].arrays.n_issues >= 1 and isinstance(failures["bounds"].seed, int)


def test_a_model_that_depends_on_actor_order_or_luck_is_caught():
    @dataclass(frozen=True)
    class FirstActor(Model):
        """The first stakeholder decides: an order effect."""

        name = "first"

        def _run(self, arrays, rng):
            first = np.argmax(arrays.stake, axis=0)
            return static_trajectory(arrays, arrays.position[first, np.arange(arrays.n_issues)])

    @dataclass(frozen=True)
    class Noisy(Model):
        """A compromise with noise from a generator that is not the run's."""

        name = "noisy"

        def _run(self, arrays, rng):
            noise = np.random.default_rng().normal(0, 1e-3, arrays.lower.shape)
            outcome = weighted_mean(arrays.position, arrays.weight())
            return static_trajectory(arrays, np.clip(outcome + noise, arrays.lower, arrays.upper))

    assert "relabel" in {f.invariant for f in check_model(FirstActor(), n_cases=10)}
    assert "determinism" in {f.invariant for f in check_model(Noisy(), n_cases=10)}


def test_a_model_that_raises_on_valid_input_fails_every_invariant():
    @dataclass(frozen=True)
    class Broken(Model):
        name = "broken"

        def _run(self, arrays, rng) -> Trajectory:
            raise ZeroDivisionError("oops")

    failures = check_model(Broken(), n_cases=2)
    assert {f.invariant for f in failures} == Broken.invariants
    assert all("raised ZeroDivisionError: oops" in f.message for f in failures)


def test_invariants_can_be_chosen_and_unknown_ones_are_refused():
    assert check_model(get_model("mean"), n_cases=3, invariants=["shapes"]) == []
    with pytest.raises(ValueError, match="unknown invariants"):
        check_model(get_model("mean"), invariants=["symmetry"])
    assert get_model("mean").invariants <= INVARIANTS
