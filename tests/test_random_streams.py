"""Random streams are found by name, never by the order they are asked for (issue 14, finding 1).

On the built-in scenario (not a 2x2 toy, where a wrong difference can vanish by luck), with every
model including the stochastic ones: a what-if that changes nothing changes no draw of any model;
a model's numbers do not depend on which other models run beside it; a sweep task gives exactly
the numbers of ``accord whatif`` with the same seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from accord.experiments.interventions import Intervention, parse_assignment
from accord.experiments.sweep import load_results, make_spec, run_sweep
from accord.experiments.uncertainty import ensemble
from accord.experiments.whatif import whatif
from accord.models import available_models
from accord.rng import DRAWS, stream
from accord.scenario.builtin import load_builtin

NO_OP = Intervention(id="no-op", set=(parse_assignment("capability[us] *= 1"),))
STOCHASTIC = ["exchange", "exchange-random"]


def test_the_draws_stream_is_the_one_accord_always_used():
    # the Monte Carlo draws did not move when streams got names: SeedSequence(seed).spawn(2)[0]
    np.testing.assert_array_equal(stream(9, DRAWS).generate_state(4),
                                  np.random.SeedSequence(9).spawn(2)[0].generate_state(4))


def test_a_no_op_whatif_changes_no_draw_of_any_model():
    paired = whatif(load_builtin(), NO_OP, n_draws=60, seed=1)
    assert set(paired.changed) == set(available_models()) - set(paired.skipped)
    for name in paired.changed:
        np.testing.assert_array_equal(paired.changed[name], paired.baseline[name], err_msg=name)


@pytest.mark.parametrize("model", STOCHASTIC)
def test_a_models_numbers_do_not_depend_on_the_others(model):
    scenario = load_builtin()
    alone = ensemble(scenario, 40, seed=3, models=[model]).finals[model]
    others = [m for m in ["compromise", *STOCHASTIC] if m != model]
    together = ensemble(scenario, 40, seed=3, models=[*others, model]).finals[model]
    reversed_ = ensemble(scenario, 40, seed=3, models=[model, *others[::-1]]).finals[model]
    np.testing.assert_array_equal(alone, together)
    np.testing.assert_array_equal(alone, reversed_)


def test_a_sweep_task_gives_the_numbers_of_accord_whatif(tmp_path):
    scenario = load_builtin()
    named = "us-ends-nato-sales"
    spec = make_spec([scenario], [named], ["exchange-random", "compromise"], 40, seed=6)
    run_sweep(spec, tmp_path / "s.csv")
    rows = load_results(tmp_path / "s.csv")
    from accord.experiments.whatif import named_whatif

    paired = whatif(scenario, named_whatif(scenario.id, named), n_draws=40, seed=6,
                    models=["exchange-random", "compromise"])
    for model in ("exchange-random", "compromise"):
        got = rows[rows.model == model].set_index("issue")
        expected = pd.Series(np.median(paired.changed[model], axis=0), index=scenario.issue_ids)
        np.testing.assert_array_equal(got.loc[scenario.issue_ids, "median"].to_numpy(), expected.to_numpy())
        base = pd.Series(np.median(paired.baseline[model], axis=0), index=scenario.issue_ids)
        np.testing.assert_array_equal(got.loc[scenario.issue_ids, "base_median"].to_numpy(), base.to_numpy())
