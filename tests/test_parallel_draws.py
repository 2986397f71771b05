"""Monte Carlo draws on every core give the numbers of one core, bit for bit (issue 15).

On the built-in scenario with the models that use their generator (exchange, exchange-random,
smp with stochastic state transitions) and one that does not (eum): the finals are identical for
1, 2 and 3 worker threads and when the chunks run in reverse order; chunk c's numbers are the
model on that chunk's draws alone with the generator of its named stream extended by c (the rule
in :mod:`accord.experiments.uncertainty`), so they cannot depend on the number of workers.
"""

from __future__ import annotations

import numpy as np
import pytest

from accord.cores import resolve_workers
from accord.experiments.parallel import Job, run_jobs
from accord.experiments.uncertainty import (
    CHUNK,
    batch_job,
    chunk_stream,
    draw_arrays,
    draws_of,
    ensemble,
    model_stream,
    run_models,
)
from accord.experiments.whatif import named_whatif, whatif
from accord.models import get_model
from accord.scenario.builtin import load_builtin

SIZE = 50  # draws per chunk here (CHUNK in a real run), to keep the test short
N_DRAWS = 2 * SIZE + 20  # two full chunks and a short one


@pytest.fixture(scope="module")
def draws():
    return draw_arrays(load_builtin(), N_DRAWS, 5)


def _models():
    return [get_model("exchange"), get_model("exchange-random"), get_model("smp", state_transitions="Stochastic"),
            get_model("eum")]


def test_any_number_of_workers_gives_the_same_bits(draws):
    one, skipped = run_models(draws, _models(), seed=5, chunk=SIZE, workers=1)
    assert not skipped
    for workers in (2, 3):
        many, _ = run_models(draws, _models(), seed=5, chunk=SIZE, workers=workers)
        for name in one:
            np.testing.assert_array_equal(many[name], one[name], err_msg=f"{name}, {workers} workers")


def test_chunks_in_reverse_order_give_the_same_bits(draws):
    for model in _models():
        job = batch_job(model.name, model, draws, model_stream(5, model), SIZE)
        forward = np.concatenate([job.run(c) for c in range(job.n_chunks)])
        backward = [job.run(c) for c in reversed(range(job.n_chunks))][::-1]
        np.testing.assert_array_equal(np.concatenate(backward), forward, err_msg=model.name)


def test_a_chunk_is_the_model_on_its_draws_with_its_own_stream(draws):
    model = get_model("exchange-random")
    job = batch_job("x", model, draws, model_stream(5, model), SIZE)
    assert job.n_chunks == 3 and [job.rows(c) for c in range(3)] == [SIZE, SIZE, 20]
    rows = slice(SIZE, 2 * SIZE)
    alone = model.run(draws_of(draws, rows), rng=np.random.default_rng(chunk_stream(model_stream(5, model), 1)))
    np.testing.assert_array_equal(job.run(1), alone.final)
    # the generator is the chunk's: with the whole stream instead, the same draws give other numbers
    other = model.run(draws_of(draws, rows), rng=np.random.default_rng(model_stream(5, model)))
    assert not np.array_equal(other.final, alone.final)


def test_ensembles_and_whatifs_do_not_depend_on_the_workers():
    scenario = load_builtin()
    kwargs = dict(models=["exchange-random", "compromise"])
    assert CHUNK < 300  # several chunks of the fixed size
    a = ensemble(scenario, 300, seed=2, workers=1, **kwargs).finals
    b = ensemble(scenario, 300, seed=2, workers=2, **kwargs).finals
    for name in a:
        np.testing.assert_array_equal(a[name], b[name])
    change = named_whatif(scenario.id, "us-ends-nato-sales")
    p1 = whatif(scenario, change, 300, seed=2, workers=1, **kwargs)
    p2 = whatif(scenario, change, 300, seed=2, workers=2, **kwargs)
    for name in p1.changed:
        np.testing.assert_array_equal(p1.changed[name], p2.changed[name])
        np.testing.assert_array_equal(p1.baseline[name], p2.baseline[name])


def test_progress_counts_every_draw_and_names_the_running_models(draws):
    seen: list[int] = []
    labels: list[str] = []

    def advance(n: int = 1) -> None:
        seen.append(n)

    advance.describe = labels.append  # type: ignore[attr-defined]
    run_models(draws, [get_model("compromise"), get_model("exchange")], seed=1, chunk=SIZE, workers=2,
               advance=advance)
    assert sum(seen) == 2 * N_DRAWS
    assert any("exchange" in text for text in labels)


def test_a_failing_chunk_skips_its_model_only():
    def ok(index: int) -> np.ndarray:
        return np.full((2, 1), float(index))

    def bad(index: int) -> np.ndarray:
        if index == 1:
            raise ValueError("broken")
        return np.zeros((2, 1))

    out = run_jobs([Job("ok", "ok", 6, 2, ok), Job("bad", "bad", 6, 2, bad)], workers=2, failures=(ValueError,))
    np.testing.assert_array_equal(out["ok"][:, 0], [0, 0, 1, 1, 2, 2])
    assert isinstance(out["bad"], ValueError)
    with pytest.raises(ValueError, match="workers must be a whole number >= 1"):
        resolve_workers(0)


def test_what_a_chunk_runs_gives_the_full_runs_positions_and_outcomes(draws):
    """Chunks run every model with ``details="summary"`` and one thread inside
    (:func:`for_batches`); that changes no position and no outcome of any model."""
    from accord.experiments.uncertainty import for_batches
    from accord.models import available_models

    part = draws_of(draws, slice(0, 12))
    for name in available_models():
        model = get_model(name)
        full = model.run(part, rng=np.random.default_rng(4))
        lean = for_batches(model).run(part, rng=np.random.default_rng(4))
        np.testing.assert_array_equal(lean.positions, full.positions, err_msg=name)
        np.testing.assert_array_equal(lean.outcome, full.outcome, err_msg=name)


def test_the_settlement_programs_do_not_depend_on_the_threads():
    """The settlement's per-draw linear programs run in chunks on threads: 1 thread or every
    core, the same zones, packages and payments (the built-in scenario, 60 draws = 3 chunks,
    under the per-issue rule, where most draws have no zone and payments are priced too)."""
    from accord.analysis.acceptance import Rules
    from accord.analysis.settlement import settle
    from accord.cores import limited

    scenario = load_builtin("ukraine-2025-12")
    runs = {}
    for workers in (1, 3):
        with limited(workers):
            runs[workers] = settle(scenario, None, None, 60, 5, rules=Rules(veto_rule="issue")).to_dict()
    assert runs[1] == runs[3]


def test_a_run_limits_every_core_count_it_asks_for():
    """Inside ``limited(n)`` "every core" means at most n (what --workers sets for a whole run)."""
    from accord.cores import default_workers, limited

    everything = default_workers()
    with limited(1):
        assert default_workers() == 1
        assert resolve_workers(None) == 1
    assert default_workers() == everything
    with pytest.raises(ValueError, match="workers"), limited(0):
        pass
