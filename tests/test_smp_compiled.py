"""The SMP's compiled cubic steps equal their numpy statements bit for bit (issue 15).

:func:`accord.models.smp.compiled.coalitions` against :func:`accord.models.smp.kernel.coalitions`
(every voting rule; few and many voters, where numpy's pairwise summation over the voters
changes its blocking), :func:`accord.models.smp.compiled.challenges` against
:func:`accord.models.smp.turn.numpy_challenges` (every commitment rule); the whole model's
results against KTAB's are checked in tests/test_smp.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from accord.models.smp import compiled, kernel, turn
from accord.models.smp.kernel import VotingRule
from accord.models.smp.turn import Actors, Commit, Rules, assess

COALITION_SHAPES = (
    (2, 3, 4), (1, 9, 6), (3, 13, 13), (1, 40, 5), (1, 150, 3), (1, 300, 4),
    # several tiles of options (compiled.TILE = 64) and several leaves of voters (128 each,
    # joined pairwise); 1,000 voters is the bargains' election at 1,000 actors
    (1, 300, 100), (2, 140, 130), (1, 1000, 70), (1, 7, 150),
)


@pytest.mark.parametrize("rule", list(VotingRule))
def test_compiled_coalitions_equal_numpy(rule):
    rng = np.random.default_rng(3)
    for batch, voters, options in COALITION_SHAPES:
        util = rng.uniform(0, 1, (batch, voters, options))
        util[:, :, 1] = util[:, :, 0]  # equal utilities: zero votes
        weight = rng.uniform(0.1, 5, (batch, voters))
        expected = kernel.coalitions(util, weight, rule)
        got = np.empty((batch, options, options))
        cut = options // 3  # in two parts, as threads share it
        for start, stop in ((0, cut), (cut, options)):
            compiled.coalitions(util, weight, compiled.RULE_CODES[rule], got, start, stop,
                                np.zeros((0, 0, 0), bool))
        np.testing.assert_array_equal(got, expected, err_msg=f"{rule} {voters} voters, {options} options")
        # only some pairs needed: sparse rows are voted pair by pair, dense ones by tile
        for density in (0.05, 0.6):
            needed = rng.uniform(0, 1, (batch, options, options)) < density
            needed |= np.swapaxes(needed, 1, 2)
            got = np.empty((batch, options, options))
            compiled.coalitions(util, weight, compiled.RULE_CODES[rule], got, 0, options, needed)
            off = ~needed & ~np.eye(options, dtype=bool)
            np.testing.assert_array_equal(got[needed], expected[needed])
            assert (got[off] == kernel.COALITION_EPS).all()


def test_pairwise_plan_is_numpys_recursion():
    """The leaves and joins of the compiled pairwise sum: 128 values or fewer are one leaf;
    above, the first half rounded down to a multiple of 8, then the rest (numpy's
    pairwise_sum); worked out by hand for 300 values: 144 = 72 + 72, then 156 = 72 + 84."""
    starts, lengths, program = compiled.pairwise_plan(300)
    assert list(starts) == [0, 72, 144, 216] and list(lengths) == [72, 72, 72, 84]
    assert list(program) == [0, 1, -1, 2, 3, -1, -1]
    starts, lengths, program = compiled.pairwise_plan(128)
    assert list(starts) == [0] and list(lengths) == [128] and list(program) == [0]
    rng = np.random.default_rng(1)
    values = rng.uniform(-1, 1, 1000) * 10.0 ** rng.integers(-8, 9, 1000)  # the order shows
    starts, lengths, program = compiled.pairwise_plan(1000)
    stack = []
    for step in program:
        if step < 0:
            right, left = stack.pop(), stack.pop()
            stack.append(left + right)
        else:
            stack.append(compiled.pairwise_sum(values[starts[step]:], lengths[step]))
    assert stack == [values.sum()]  # numpy's own sum of 1,000 contiguous values, bit for bit
    assert sum(values.tolist()) != values.sum()  # which one left-to-right sum would miss


@pytest.mark.parametrize("na", [12, 37])  # 37: vector loops with a remainder
@pytest.mark.parametrize("commit", list(Commit))
@pytest.mark.parametrize("voting", [VotingRule.PROP, VotingRule.ASYM_PROSP, VotingRule.BINARY])
def test_compiled_challenges_equal_numpy(commit, voting, na):
    rng = np.random.default_rng(5)
    nd, nb = 2, 3
    theta = rng.uniform(0, 1, (nb, na, nd))
    sal = rng.uniform(0.05, 0.5, (nb, na, nd))
    stake = np.ones((na, nd))
    stake[3, 1] = 0.0
    act = Actors(sal * stake, (sal * stake).sum(-1), rng.uniform(1, 10, (nb, na)), stake)
    rules = Rules(voting=voting, commit=commit)
    ast = assess(theta, theta.copy(), act, rules)
    p, g = turn.numpy_challenges(ast, act, rules)
    p2, g2 = np.empty((nb, na, na)), np.empty((nb, na, na))
    for start, stop in ((0, 5), (5, na)):  # in two parts, as threads share it
        compiled.challenges(np.ascontiguousarray(ast.d), np.ascontiguousarray(ast.rh), act.total * act.cap,
                            act.total, compiled.RULE_CODES[voting], commit is Commit.SEMI, p2, g2, start, stop)
    np.testing.assert_array_equal(p2, p)
    np.testing.assert_array_equal(g2, g)


def test_summary_details_change_no_position_or_outcome():
    """``details="summary"`` (what Monte Carlo chunks ask for) keeps no per-turn records but the
    very same positions and outcomes, also when some draws run many more turns than others."""
    from accord.experiments.uncertainty import draw_arrays
    from accord.models import get_model
    from accord.scenario.builtin import load_builtin

    draws = draw_arrays(load_builtin(), 40, 7)
    full = get_model("smp").run(draws)
    summary = get_model("smp", details="summary").run(draws)
    assert summary.details is None and full.details.n_turns.min() < full.details.n_turns.max()
    np.testing.assert_array_equal(summary.positions, full.positions)
    np.testing.assert_array_equal(summary.outcome, full.outcome)


@pytest.mark.parametrize("dims", [1, 3, 8, 10, 19])
def test_compiled_distances_equal_numpy(dims):
    """The compiled distances equal the numpy statement for few and many dimensions (numpy's
    pairwise sum over the dimensions blocks by eight), shared and per-draw stakes, points that
    are not positions, and actors without salience."""
    rng = np.random.default_rng(dims)
    nb, na, no = 3, 7, 5
    ideal = rng.uniform(0, 1, (nb, na, dims))
    sal = rng.uniform(0, 0.5, (nb, na, dims))
    sal[0, 2] = 0.0  # no salience at all: distance 0
    points = rng.uniform(0, 1, (nb, no, dims))
    stake = rng.uniform(0, 1, (na, dims)) > 0.3
    theta = rng.uniform(0, 1, (nb, na, dims))
    np.testing.assert_array_equal(kernel.distance(ideal, sal, theta, stake),
                                  kernel.numpy_point_distance(ideal, sal, theta, stake))
    owner = rng.uniform(0, 1, (nb, no, dims)) > 0.3
    got = kernel.point_distance(ideal, sal, points, owner)
    np.testing.assert_array_equal(got, kernel.numpy_point_distance(ideal, sal, points, owner))
    assert got.shape == (nb, na, no) and (got[0, 2] == 0).all() and (got[1] > 0).any()


@pytest.mark.parametrize("model", list(kernel.PCEModel))
@pytest.mark.parametrize("victory", [kernel.VictoryModel.LINEAR, kernel.VictoryModel.BINARY,
                                     kernel.VictoryModel.OCTIC])
def test_elections_read_only_the_pairs_they_share(model, victory):
    """Voting only on the pairs of options that share an election (the bargains' resolution:
    one short queue per actor) gives every election the probabilities, bit for bit, of voting
    on all pairs; the pairs no election shares are left unvoted."""
    rng = np.random.default_rng(11)
    nb, voters, options = 3, 9, 14
    util = rng.uniform(0, 1, (nb, voters, options))
    weight = rng.uniform(0.1, 5, (nb, voters))
    queue = rng.uniform(0, 1, (nb, voters, options)) < 0.2
    queue[..., 0] = True  # every queue holds the status quo, as in the resolution
    needed = kernel.shared_pairs(queue)
    assert needed.mean() < 0.9  # some pairs are skipped
    c_all, p_all = kernel.election(util, weight, VotingRule.PROP, victory)
    c_few, p_few = kernel.election(util, weight, VotingRule.PROP, victory, needed=needed)
    np.testing.assert_array_equal(c_few[needed], c_all[needed])
    assert (c_few[~needed] == kernel.COALITION_EPS).all()
    np.testing.assert_array_equal(kernel.pce(c_few, p_few, queue, model), kernel.pce(c_all, p_all, queue, model))
