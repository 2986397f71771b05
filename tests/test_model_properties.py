"""The invariants of :mod:`accord.models.checks`, on scenarios hypothesis builds and shrinks.

``accord.models.checks.check_model`` draws its scenarios from a numpy generator; here the same
invariant functions run on scenarios written as scenario files would be (validated and
compiled), which hypothesis explores and, on a failure, shrinks to a small example. Each
model is checked only for the invariants it claims (``Model.invariants``; the reasons for the
exceptions are documented where the models declare them) and to the tolerance it declares.

Scenarios: 2-8 actors (2-5 for the dynamic models), 1-4 issues (at least ``min_issues``),
scales that are not 0..100, positions on a coarse grid (ties, scale ends) or anywhere, actors
without a stake on some issues, zero saliences, optional status quos and vetoes; every issue
has a stakeholder with positive weight. Dynamic models run 3 rounds.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accord.models import available_models, get_model, model_class
from accord.models.checks import ORDER, NotApplicable, check_invariant
from accord.scenario import Scenario, ScenarioArrays, compile_scenario

SETTINGS = settings(
    derandomize=True,
    deadline=None,
    max_examples=12,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
)

GRID = (0.0, 0.125, 0.25, 0.5, 0.75, 1.0)
LOWERS = (0.0, -5.0, -1.0, 1.0, 0.5, -100.0, 1000.0)
SPANS = (1.0, 2.5, 7.5, 12.5, 100.0, 0.25, 40.0)


def model_for(name: str):
    """The model with few rounds (quick), where it has rounds."""
    return get_model(name, **model_class(name).own_params({"rounds": 3}))


CASES = [(name, invariant) for name in available_models() for invariant in ORDER
         if invariant in model_class(name).invariants]


@st.composite
def scenarios(draw: st.DrawFn, min_issues: int = 1, max_actors: int = 8) -> Scenario:
    """A valid scenario (see the module docstring for what varies)."""
    n_a = draw(st.integers(2, max_actors))
    n_i = draw(st.integers(min_issues, 4))
    frac = st.one_of(st.sampled_from(GRID), st.floats(0.0, 1.0))
    issues, positions, actors = [], [], []
    vetoes: list[list[str]] = [[] for _ in range(n_a)]
    for k in range(n_i):
        lo, span = draw(st.sampled_from(LOWERS)), draw(st.sampled_from(SPANS))
        issue = {"id": f"i{k}", "name": f"I{k}", "scale": {"min": lo, "max": lo + span}}
        if draw(st.booleans()):
            issue["status_quo"] = lo + draw(frac) * span
        issues.append(issue)
        anchor = draw(st.integers(0, n_a - 1))  # a stakeholder with positive weight
        for a in range(n_a):
            if a != anchor and not draw(st.booleans()) and draw(st.booleans()):
                continue  # no stake (about one in four)
            sal = draw(st.integers(1, 100)) if a == anchor else draw(st.sampled_from([0, 0, 30, 55, 100]))
            positions.append({"actor": f"a{a}", "issue": f"i{k}", "position": lo + draw(frac) * span,
                              "salience": sal})
            if draw(st.integers(0, 5)) == 0:
                vetoes[a].append(f"i{k}")
    for a in range(n_a):
        cap = draw(st.one_of(st.sampled_from([1.0, 10.0, 50.0]), st.floats(0.5, 200.0)))
        actors.append({"id": f"a{a}", "name": f"A{a}", "capability": cap, "veto": vetoes[a]})
    return Scenario.model_validate(
        {"id": "h", "title": "hypothesis", "actors": actors, "issues": issues, "positions": positions}
    )


def arrays_for(name: str) -> st.SearchStrategy[ScenarioArrays]:
    """Compiled scenarios suited to the model (issue count, size)."""
    cls = model_class(name)
    return scenarios(min_issues=cls.min_issues, max_actors=5 if cls.dynamic else 8).map(compile_scenario)


@pytest.mark.parametrize(("name", "invariant"), CASES)
def test_invariant(name, invariant):
    model = model_for(name)

    @SETTINGS
    @given(arrays_for(name), st.integers(0, 2**32 - 1))
    def check(arrays, seed):
        try:
            problem = check_invariant(model, invariant, arrays, seed)
        except NotApplicable:
            assume(False)
        assert problem is None, problem

    check()


def test_every_model_is_checked_for_the_invariants_any_model_keeps():
    """No model opts out of the basic promises of the interface."""
    basic = {"shapes", "bounds", "determinism", "batch", "stakeless", "unanimity", "capability_scale",
             "scale_equivariance"}
    for name in available_models():
        assert basic <= model_class(name).invariants, name
