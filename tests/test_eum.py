"""Expected-utility models (eum-scholz, eum) against the reference replication and the spec.

Reference values: J. McKibben's replication of Scholz, Calbert & Smith (2011), run unchanged
(``anchor-data/measured/jmckib_*``, ``Example.dmasad-fork.log``), and the numbers printed in
``docs/specs/expected-utility.md``. Corrected-mode results are checked against a plain
scalar transcription of that specification (``naive_run`` below), itself validated on the
reference data.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest

import accord.models.eum.kernel as kernel
from accord.errors import AccordError
from accord.models import get_model
from accord.report.model_details import details_lines, details_to_dict
from accord.scenario.arrays import ScenarioArrays, compile_scenario
from accord.scenario.io import load_scenario

EXAMPLE = ["Netherlands", "Belgium", "Luxembourg", "Germany", "France", "Italy", "UK", "Ireland",
           "Denmark", "Greece"]  # fmt: skip
FAITHFUL = dict(capitulation=False, probability="global", median_tie_tol=0.0,
                status_quo_term=False, compromise_choice="position_key")  # fmt: skip


def single_issue(x, c, s, stake=None) -> ScenarioArrays:
    """One-issue arrays from lists (salience 0..1) on a scale that spans at least 0..100 (the
    model measures distances by the span of the positions, not of the scale)."""
    x = np.asarray(x, float)[:, None]
    n = len(x)
    stake = np.ones((n, 1), bool) if stake is None else np.asarray(stake, bool)[:, None]
    return ScenarioArrays(x, np.asarray(s, float)[:, None], np.asarray(c, float)[:, None], stake,
                          np.array([min(x.min(), 0.0)]), np.array([max(x.max(), 100.0)]),
                          np.array([np.nan]), np.zeros((n, 1), bool))  # fmt: skip


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path) as f:
        return list(csv.DictReader(f))


def read_table(path: Path) -> ScenarioArrays:
    """The replications' Stakeholder,Resources,Position,Salience tables (CR line endings)."""
    rows = [r.split(",") for r in path.read_text().replace("\r", "\n").split("\n")[1:] if r.strip()]
    sal = np.array([float(r[3]) for r in rows])
    return single_issue([float(r[2]) for r in rows], [float(r[1]) for r in rows],
                        sal / 100 if sal.max() > 1 else sal)  # fmt: skip


def synthetic(rng, n_actors, n_issues, batch=(), stake_p=1.0) -> ScenarioArrays:
    shape = (*batch, n_actors, n_issues)
    stake = rng.random((n_actors, n_issues)) < stake_p
    stake[:2] = True
    return ScenarioArrays(
        np.round(rng.uniform(0, 100, shape), 1), rng.uniform(0.1, 1, shape),
        np.broadcast_to(rng.uniform(1, 100, (n_actors, 1)), shape).copy(), stake,
        np.zeros(n_issues), np.full(n_issues, 100.0), np.full(n_issues, np.nan),
        np.zeros((n_actors, n_issues), bool),
    )  # fmt: skip


@pytest.fixture(scope="module")
def golden(shared_dir):
    rows = read_csv(shared_dir / "anchor-data/measured/jmckib_ExampleActors_10rounds_full.csv")
    return {
        "positions": np.array([[float(r[a]) for a in EXAMPLE] for r in rows]),
        "risk": np.array([[float(r["r_" + a]) for a in EXAMPLE] for r in rows]),
        "median": np.array([float(r["median"]) for r in rows]),
        "mean": np.array([float(r["mean"]) for r in rows]),
    }


@pytest.fixture(scope="module")
def example(shared_dir):
    return compile_scenario(
        load_scenario(shared_dir / "anchor-data/bdm-scholz-expected-utility-model/ExampleActors.csv")
    )


# --- a plain transcription of the specification, for checking the vectorised code ----------


def naive_run(x, c, s, rounds, Q=1.0, T=1.0, capitulation=False, pairwise=False, least_move=False,
              sq_term=False, tie_tol=None, votes_use_risk=True, any_type=False,
              sender_interest=False):  # fmt: skip
    """Spec §1-§11 with scalar loops (faithful by default). Returns positions, risk, median, offers."""
    n, x = len(x), list(map(float, x))
    span = max(x) - min(x)

    def d(a, b):
        return abs(a - b) / span

    def vote(k, a, b, rho):
        return c[k] * s[k] * (d(x[k], b) ** rho - d(x[k], a) ** rho)

    def median():
        m, tie, tol = (
            sorted(set(x))[0],
            False,
            0.0 if tie_tol is None else tie_tol * sum(c[k] * s[k] for k in range(n)),
        )
        for y in sorted(set(x))[1:]:
            v = sum(vote(k, y, m, 1.0) for k in range(n))
            tie |= tie_tol is not None and abs(v) <= tol
            m = y if v > tol else m
        return m, tie

    def prob(a, b, r, zg):
        if a == b:
            return 0.0
        r = r if votes_use_risk else [1.0] * n
        num = sum(max(0.0, vote(k, a, b, r[k])) for k in range(n))
        z = sum(abs(vote(k, a, b, r[k])) for k in range(n)) if pairwise else zg
        return num / z if z > 0 else 0.0

    def eu(a, b, sb, rho, r, zg, mu):
        delta, p = d(a, b), prob(a, b, r, zg)
        us, uf, usq = 2 - 4 * (0.5 - 0.5 * delta) ** rho, 2 - 4 * (0.5 + 0.5 * delta) ** rho, 2 - 4 * 0.5**rho
        out = sb * (p * us + (1 - p) * uf) + (1 - sb) * us - Q * usq
        if sq_term:
            shift = 0.25 * (d(a, mu) + delta)
            out -= (1 - Q) * (T * (2 - 4 * (0.5 - shift) ** rho) + (1 - T) * (2 - 4 * (0.5 + shift) ** rho))
        return out

    def z_global(r):
        r = r if votes_use_risk else [1.0] * n
        return sum(abs(vote(k, x[a], x[b], r[k])) for k in range(n) for a in range(n) for b in range(n))

    hist = {"positions": [list(x)], "risk": [[1.0] * n], "median": [median()[0]], "offers": [{}]}
    for _ in range(rounds):
        mu, ones = median()[0], [1.0] * n
        zg = z_global(ones)
        danger = [sum(eu(x[k], x[i], s[i], 1.0, ones, zg, mu) for k in range(n) if k != i) for i in range(n)]
        hi, lo = max(danger), min(danger)
        big_r = [0.0 if hi == lo else (2 * dg - hi - lo) / (hi - lo) for dg in danger]
        r = [(1 - q / 3.0) / (1 + q / 3.0) for q in big_r]
        zg, new, taken = z_global(r), list(x), {}
        for i in range(n):
            offers = []
            for j in range(n):
                if x[j] == x[i]:
                    continue
                if sender_interest and eu(x[j], x[i], s[i], r[j], r, zg, mu) <= 0:
                    continue
                eij = eu(x[i], x[j], s[j], r[i], r, zg, mu)
                eji = eu(x[j], x[i], s[i], r[i], r, zg, mu)
                if eji > eij > 0:
                    kind, y = 1, x[j]
                elif eji > 0 > eij and eji > abs(eij):
                    kind, y = 2, x[i] + (x[j] - x[i]) * abs(eij / eji)
                elif eji > 0 > eij and (eji <= abs(eij) if capitulation else eji < abs(eji)):
                    kind, y = 3, x[j]
                else:
                    continue
                key = abs(x[i] - y)
                if kind == 2 and not least_move:
                    key = (abs(eij) * x[i] + abs(eji) * x[j]) / (abs(eij) + abs(eji))
                offers.append((kind, key, j, y, eij, eji))
            if any_type and offers:
                best = min(offers, key=lambda o: (abs(x[i] - o[3]), o[0], o[2]))
                new[i], taken[i] = best[3], best
            for kind in () if any_type else (1, 2, 3):
                same = [o for o in offers if o[0] == kind]
                if same:
                    best = min(same, key=lambda o: o[1])
                    new[i], taken[i] = best[3], best
                    break
        x = new
        hist["positions"].append(list(x))
        hist["risk"].append(r)
        hist["median"].append(median()[0])
        hist["offers"].append(taken)
    return {k: v if k == "offers" else np.array(v) for k, v in hist.items()}


# --- faithful mode: the reference replication -----------------------------------------------


@pytest.mark.parametrize(
    "table",
    ["bdm-scholz-expected-utility-model/ExampleActors.csv",  # salience 0..1
     "BDM_DecisionModel_Replication/ExampleActors.csv"],  # salience 0..100, CR line ends
)  # fmt: skip
def test_example_actors_matches_reference_to_1e9(shared_dir, golden, table):
    arrays = compile_scenario(load_scenario(shared_dir / "anchor-data" / table))
    traj = get_model("eum-scholz").run(arrays)
    assert traj.positions.shape == (11, 10, 1)
    np.testing.assert_allclose(traj.positions[..., 0], golden["positions"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(traj.details.risk[..., 0], golden["risk"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(traj.outcome[:, 0], golden["median"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(traj.details.mean[:, 0], golden["mean"], rtol=0, atol=1e-9)


def test_example_actors_offers_match_reference_log(shared_dir, example):
    """Every accepted offer of the 10 rounds: who, to whom, which type, E_ij, E_ji, new x."""
    log = (shared_dir / "anchor-data/bdm-scholz-expected-utility-model/Example.dmasad-fork.log").read_text()
    pattern = re.compile(
        r"(\w+) (loses confrontation to|compromises with) (\w+)\n\t(\S+) vs (\S+)\n\tnew_pos = (\S+)"
    )
    traj = get_model("eum-scholz").run(example)
    d = traj.details
    for t, block in enumerate(log.split("ROUND ")[1:], start=1):
        found = pattern.findall(block)
        assert np.count_nonzero(d.kind[t, :, 0]) == len(found)
        for receiver, verb, proposer, eij, eji, new in found:
            i = EXAMPLE.index(receiver)
            assert d.kind[t, i, 0] == (kernel.CONFRONTATION if "confront" in verb else kernel.COMPROMISE)
            assert d.proposer[t, i, 0] == EXAMPLE.index(proposer)
            assert d.eu_own[t, i, 0] == pytest.approx(float(eij), abs=1e-9)
            assert d.eu_other[t, i, 0] == pytest.approx(float(eji), abs=1e-9)
            assert traj.positions[t, i, 0] == pytest.approx(float(new), abs=1e-9)


def test_round1_risk_and_offers_from_spec(example):
    """Spec §15: round-1 exponents and accepted offers."""
    traj = get_model("eum-scholz", rounds=1).run(example)
    r = traj.details.risk[1, :, 0]
    expected = [1.4056527842180304, 0.7541959272436861, 0.5088637910269406, 1.4056527842180304,
                1.0465238960570615, 1.0465238960570615, 1.9648982295073372, 0.5, 2.0, 1.112124970858258]  # fmt: skip
    np.testing.assert_allclose(r, expected, rtol=0, atol=1e-9)
    assert traj.details.eu_own[1, 1, 0] == pytest.approx(-0.114830503473, abs=1e-12)
    assert traj.details.eu_other[1, 1, 0] == pytest.approx(0.243296594523, abs=1e-12)
    assert traj.positions[1, 1, 0] == pytest.approx(8.41593231543, abs=1e-11)
    moved = traj.positions[1, :, 0] != traj.positions[0, :, 0]
    assert moved.tolist() == [a in ("Belgium", "Luxembourg", "Ireland") for a in EXAMPLE]


def test_sultan_nobody_moves(shared_dir):
    arrays = compile_scenario(
        load_scenario(shared_dir / "anchor-data/bdm-scholz-expected-utility-model/Sultan.csv")
    )
    rows = read_csv(shared_dir / "anchor-data/measured/jmckib_Sultan_10rounds.csv")
    for stop_tol in (0.0, None):
        traj = get_model("eum-scholz", stop_tol=stop_tol).run(arrays)
        assert traj.positions.shape == (11, 17, 1)
        assert (traj.positions == traj.positions[:1]).all()
        np.testing.assert_allclose(traj.outcome[:, 0], 13.9, rtol=0, atol=1e-12)
        np.testing.assert_allclose(traj.details.mean[:, 0], 13.619912134885, rtol=0, atol=1e-11)
        table = np.array([[float(v) for k, v in r.items() if k != "round"] for r in rows])
        np.testing.assert_allclose(traj.positions[..., 0], table[:, :17], atol=5e-5)
    assert traj.details.converged_round.tolist() == [-1]


def test_global_probabilities_are_tiny(golden, example):
    """Spec §4: with the round-1 exponents, faithful P lies in 0.3%-1.2% for every pair."""
    x, w = example.position[None, :, 0], (example.capability * example.salience)[None, :, 0]
    r = golden["risk"][1][None]
    delta = kernel.distances(x, np.array([6.0]))
    p = kernel.probability(delta ** r[:, :, None], w, x, False)[0]
    apart = x[0][:, None] != x[0][None, :]
    assert p[apart].min() >= 0.003 and p[apart].max() <= 0.012
    assert (p[~apart] == 0).all()
    pair = kernel.probability(delta ** r[:, :, None], w, x, True)[0]
    np.testing.assert_allclose((pair + pair.T)[apart], 1.0, atol=1e-12)


def test_honduras_two_cycle(shared_dir):
    """Spec §11: the Honduras data never settle; an actor alternates between two positions."""
    arrays = read_table(shared_dir / "anchor-data/BDM_DecisionModel_Replication/HondurasCrisisData.csv")
    x = get_model("eum-scholz").run(arrays).positions[:, :, 0]
    assert (x[3:] == x[1:-2]).all() and (x[2:] != x[1:-1]).any(axis=1).all()


def test_naive_transcription_reproduces_reference(golden):
    """The scalar transcription used below is itself right: it matches the reference."""
    c = [0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08]
    s = [0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7]
    ref = naive_run(golden["positions"][0], c, s, rounds=5)
    np.testing.assert_allclose(ref["positions"], golden["positions"][:6], atol=1e-9)
    np.testing.assert_allclose(ref["risk"], golden["risk"][:6], atol=1e-9)


# --- corrected mode and the defects ---------------------------------------------------------


def test_eum_with_every_repair_off_is_eum_scholz(example, golden):
    traj = get_model("eum", **FAITHFUL).run(example)
    np.testing.assert_allclose(traj.positions[..., 0], golden["positions"], atol=1e-9)


def test_defect_compromise_key(example, golden):
    """§14.2: in round 4 Belgium (9.962) jumps to 4.801 (Netherlands' offer, lower key) in the
    reference; choosing the least move it takes France's offer instead, to ~9.9996."""
    traj = get_model("eum", **{**FAITHFUL, "compromise_choice": "least_move"}).run(example)
    np.testing.assert_allclose(traj.positions[:4, :, 0], golden["positions"][:4], atol=1e-9)
    assert golden["positions"][4, 1] == pytest.approx(4.800881140632622)
    assert traj.positions[4, 1, 0] == pytest.approx(9.9996, abs=5e-5)
    assert traj.details.proposer[4, 1, 0] == EXAMPLE.index("France")


def test_defect_capitulation():
    """§14.1: E_ij < 0 < E_ji <= |E_ij| is a capitulation in eum; the reference never moves."""
    x, c, s = [30, 10, 30, 0, 90], [60, 60, 30, 50, 20], [0.7, 0.5, 0.1, 0.3, 0.7]
    arrays = single_issue(x, c, s)
    faithful = get_model("eum-scholz", rounds=1).run(arrays)
    fixed = get_model("eum", **{**FAITHFUL, "capitulation": True}, rounds=1).run(arrays)
    assert faithful.positions[1, 1, 0] == 10  # it stays
    d = fixed.details
    assert d.kind[1, 1, 0] == kernel.CAPITULATION and d.proposer[1, 1, 0] == 0
    assert d.eu_own[1, 1, 0] < 0 < d.eu_other[1, 1, 0] <= abs(d.eu_own[1, 1, 0])
    assert fixed.positions[1, 1, 0] == 30
    ref = naive_run(x, c, s, rounds=1, capitulation=True)
    assert ref["offers"][1][1][:3] == (3, 20.0, 0)
    for model in ("eum-scholz", "eum"):
        kinds = get_model(model, **({} if model == "eum-scholz" else FAITHFUL)).run(arrays).details.kind
        assert (kinds != kernel.CAPITULATION).all()


def test_status_quo_term_inert_at_q1_and_active_below(example):
    base = get_model("eum").run(example)
    off = get_model("eum", status_quo_term=False).run(example)
    np.testing.assert_array_equal(base.positions, off.positions)
    half = get_model("eum", Q=0.5, T=0.0, rounds=2).run(example)
    off_half = get_model("eum", Q=0.5, T=0.0, rounds=2, status_quo_term=False).run(example)
    assert not np.array_equal(half.details.risk, off_half.details.risk)


@pytest.mark.parametrize(
    "switches",
    [
        {},
        {"capitulation": True},
        {"pairwise": True},
        {"least_move": True},
        {"sq_term": True, "Q": 0.6, "T": 0.3},
        {"pairwise": True, "votes_use_risk": False},
        {"pairwise": True, "capitulation": True, "any_type": True},
        {"sender_interest": True},
        {"capitulation": True, "pairwise": True, "least_move": True, "sq_term": True, "Q": 0.8,
         "T": 0.7, "tie_tol": 1e-12},
    ],
)  # fmt: skip
def test_matches_scalar_transcription(switches):
    names = {"capitulation": "capitulation", "Q": "Q", "T": "T", "votes_use_risk": "votes_use_risk"}
    params = {**FAITHFUL, **{names[k]: v for k, v in switches.items() if k in names}}
    params["probability"] = "pairwise" if switches.get("pairwise") else "global"
    params["compromise_choice"] = "least_move" if switches.get("least_move") else "position_key"
    params["status_quo_term"] = switches.get("sq_term", False)
    params["median_tie_tol"] = switches.get("tie_tol", 0.0)
    params["offer_selection"] = "least_move_any_type" if switches.get("any_type") else "type_priority"
    params["require_sender_interest"] = switches.get("sender_interest", False)
    rng = np.random.default_rng(7)
    for _ in range(4):
        x, c, s = rng.integers(0, 11, 6) * 10.0, rng.uniform(1, 10, 6), rng.uniform(0.1, 1, 6)
        ref = naive_run(x, c, s, rounds=3, **switches)
        traj = get_model("eum", rounds=3, stop_tol=None, **params).run(single_issue(x, c, s))
        np.testing.assert_allclose(traj.positions[..., 0], ref["positions"], atol=1e-9)
        np.testing.assert_allclose(traj.details.risk[..., 0], ref["risk"], atol=1e-9)
        np.testing.assert_allclose(traj.outcome[:, 0], ref["median"], atol=1e-9)


def test_median_tie_kept_low_and_reported():
    traj = get_model("eum", rounds=1).run(single_issue([0, 10, 10, 0], [1, 1, 1, 1], [0.5] * 4))
    assert traj.outcome[0, 0] == 0 and traj.details.median_tie[0, 0]
    faithful = get_model("eum-scholz", rounds=1).run(single_issue([0, 10], [1, 1], [0.5, 0.5]))
    assert faithful.outcome[0, 0] == 0 and not faithful.details.median_tie.any()


# --- structure: batches, stakes, labels, scale --------------------------------------------------


@pytest.mark.parametrize("model", ["eum-scholz", "eum"])
@pytest.mark.parametrize("n_actors", [9, 70])  # both vote-sum methods
def test_batch_equals_loop(model, n_actors):
    rng = np.random.default_rng(n_actors)
    arrays = synthetic(rng, n_actors, 3, batch=(2, 2), stake_p=0.7)
    m = get_model(model, rounds=4)
    batched = m.run(arrays)
    for idx in np.ndindex(2, 2):
        one = m.run(arrays.replace(position=arrays.position[idx], salience=arrays.salience[idx],
                                   capability=arrays.capability[idx]))  # fmt: skip
        sel = (slice(None), *idx)
        np.testing.assert_allclose(batched.positions[sel], one.positions, rtol=0, atol=1e-12)
        np.testing.assert_allclose(batched.outcome[sel], one.outcome, rtol=0, atol=1e-12)
        np.testing.assert_allclose(batched.details.risk[sel], one.details.risk, atol=1e-12)
        np.testing.assert_array_equal(batched.details.proposer[sel], one.details.proposer)


@pytest.mark.parametrize("model", ["eum-scholz", "eum"])
def test_prefix_sum_votes_agree_with_voter_loop(model, monkeypatch):
    arrays = synthetic(np.random.default_rng(3), 30, 2)
    m = get_model(model, rounds=5)
    loop = m.run(arrays)
    monkeypatch.setattr(kernel, "DIRECT_MAX_ACTORS", 0)
    fast = m.run(arrays)
    np.testing.assert_allclose(fast.positions, loop.positions, atol=1e-9)
    np.testing.assert_allclose(fast.details.risk, loop.details.risk, atol=1e-9)
    np.testing.assert_array_equal(fast.details.kind, loop.details.kind)


@pytest.mark.parametrize("model", ["eum-scholz", "eum"])
def test_actors_without_stake_take_no_part(model):
    rng = np.random.default_rng(5)
    arrays = synthetic(rng, 8, 2)
    stake = arrays.stake.copy()
    stake[[2, 5], 1] = False
    part = arrays.replace(stake=stake)
    traj = get_model(model, rounds=4).run(part)
    # issue 1 equals the one-issue run over its stakeholders only
    keep = np.flatnonzero(stake[:, 1])
    sub = single_issue(arrays.position[keep, 1], arrays.capability[keep, 1], arrays.salience[keep, 1])
    alone = get_model(model, rounds=4).run(sub)
    np.testing.assert_allclose(traj.positions[:, keep, 1], alone.positions[..., 0], atol=1e-12)
    np.testing.assert_allclose(traj.outcome[:, 1], alone.outcome[:, 0], atol=1e-12)
    assert (traj.positions[:, [2, 5], 1] == arrays.position[[2, 5], 1]).all()
    assert np.isnan(traj.details.risk[1:, [2, 5], 1]).all()
    # whatever the outsiders' numbers, nothing changes; issue 0 is untouched by the mask
    moved = part.replace(
        position=np.where(stake, part.position, 3.0), salience=np.where(stake, part.salience, 0.9)
    )
    again = get_model(model, rounds=4).run(moved)
    np.testing.assert_array_equal(again.positions[:, keep, 1], traj.positions[:, keep, 1])
    full = get_model(model, rounds=4).run(arrays)
    np.testing.assert_array_equal(full.positions[..., 0], traj.positions[..., 0])


@pytest.mark.parametrize("model", ["eum-scholz", "eum"])
def test_relabelling_actors_changes_nothing(model, example):
    """Without exact ties between offers, input order is irrelevant. (eum on ExampleActors has
    such ties -- an actor at 7 offered 4 and 10 at equal distance -- decided by input order.)"""
    rng = np.random.default_rng(11)
    arrays = synthetic(rng, 12, 2)
    for data in (arrays, example) if model == "eum-scholz" else (arrays,):
        perm = rng.permutation(data.n_actors)
        shuffled = data.replace(position=data.position[perm], salience=data.salience[perm],
                                capability=data.capability[perm], stake=data.stake[perm])  # fmt: skip
        a, b = get_model(model).run(data), get_model(model).run(shuffled)
        np.testing.assert_allclose(b.positions, a.positions[:, perm], atol=1e-9)
        np.testing.assert_allclose(b.outcome, a.outcome, atol=1e-9)
        np.testing.assert_allclose(b.details.risk, a.details.risk[:, perm], atol=1e-9)


def test_capability_scale_does_not_matter(example):
    a = get_model("eum-scholz").run(example)
    b = get_model("eum-scholz").run(example.replace(capability=example.capability * 625.0))
    np.testing.assert_allclose(b.positions, a.positions, atol=1e-9)


def test_one_position_means_no_movement():
    traj = get_model("eum-scholz").run(single_issue([5, 5, 5], [1, 2, 3], [0.5, 0.5, 0.5]))
    assert (traj.positions == 5).all() and traj.details.zero_span.all()
    assert (traj.details.risk == 1).all() and (traj.outcome == 5).all()


def test_parameters_are_checked_when_the_model_is_made():
    with pytest.raises(AccordError, match=r"eum-scholz: rounds must be a whole number >= 0 \(got -1\)"):
        get_model("eum-scholz", rounds=-1)
    with pytest.raises(AccordError, match=r"eum: Q must be a finite number in \[0, 1\] \(got 1.5\)"):
        get_model("eum", Q=1.5)
    with pytest.raises(AccordError, match="probability must be one of pairwise, global"):
        get_model("eum", probability="local")
    with pytest.raises(AccordError, match="did you mean 'pairwise'"):
        get_model("eum", probability="pairwize")
    with pytest.raises(AccordError, match="stop_tol must be a finite number >= 0 or null"):
        get_model("eum", stop_tol=-1e-3)
    assert get_model("eum", stop_tol=None).stop_tol is None


def test_details_text_and_json(example):
    traj = get_model("eum-scholz").run(example)
    ids = [a.lower() for a in EXAMPLE]
    text = details_lines(traj.details, ids, ["emissions"])
    assert any("belgium compromises with france" in line for line in text)
    assert any("luxembourg loses a confrontation to belgium" in line for line in text)
    data = details_to_dict(traj.details, ids, ["emissions"])
    assert len(data["rounds"]) == 11
    first = data["rounds"][1]["emissions"]
    assert first["risk"]["uk"] == pytest.approx(1.9648982295073372)
    assert {o["receiver"] for o in first["offers"]} == {"belgium", "luxembourg", "ireland"}
    json.dumps(data)


def test_equal_offers_go_to_the_first_actor_in_input_order():
    """Spec §9/§10: B at 5 gets identical confrontation offers from 0 and from 10."""
    for x, expected in (([0, 5, 10], 0.0), ([10, 5, 0], 10.0)):
        traj = get_model("eum-scholz", rounds=1).run(single_issue(x, [1, 0.5, 1], [0.6, 0.5, 0.6]))
        assert traj.details.kind[1, 1, 0] == kernel.CONFRONTATION
        assert traj.details.proposer[1, 1, 0] == 0 and traj.positions[1, 1, 0] == expected


def test_batched_details_summarise_draws(example):
    batch = example.broadcast(3)
    traj = get_model("eum").run(batch)
    assert traj.positions.shape == (11, 3, 10, 1) and traj.outcome.shape == (11, 3, 1)
    text = details_lines(traj.details, [a.lower() for a in EXAMPLE], ["emissions"])
    assert any("final median over 3 draws" in line for line in text)
    data = details_to_dict(traj.details, [a.lower() for a in EXAMPLE], ["emissions"])
    assert data["batch_shape"] == [3]
    json.dumps(data)


# --- details="summary": the batched Monte Carlo path keeps no per-actor details -----------------


@pytest.mark.parametrize("model", ["eum-scholz", "eum"])
@pytest.mark.parametrize("n_actors", [9, 70])  # both vote-sum methods (70: position-ordered rows)
def test_summary_details_change_no_result(model, n_actors):
    arrays = synthetic(np.random.default_rng(n_actors + 1), n_actors, 3, batch=(4,), stake_p=0.7)
    full = get_model(model, rounds=5).run(arrays)
    light = get_model(model, rounds=5, details="summary").run(arrays)
    np.testing.assert_array_equal(light.positions, full.positions)
    np.testing.assert_array_equal(light.outcome, full.outcome)
    for key in ("mean", "median_tie", "equal_danger", "converged_round", "zero_span"):
        np.testing.assert_array_equal(getattr(light.details, key), getattr(full.details, key))
    for key in ("risk", "proposer", "kind", "eu_own", "eu_other"):
        assert getattr(light.details, key) is None and getattr(full.details, key) is not None
    assert full.details.level == "full" and light.details.level == "summary"


def test_summary_details_reproduce_reference(golden, example):
    """The reference trajectory (ExampleActors, 10 rounds) at the light detail level."""
    traj = get_model("eum-scholz", details="summary").run(example)
    np.testing.assert_allclose(traj.positions[..., 0], golden["positions"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(traj.outcome[:, 0], golden["median"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(traj.details.mean[:, 0], golden["mean"], rtol=0, atol=1e-9)


def test_summary_details_text_and_json(example):
    traj = get_model("eum-scholz", details="summary").run(example)
    ids = [a.lower() for a in EXAMPLE]
    text = details_lines(traj.details, ids, ["emissions"])
    assert any("not kept" in line for line in text) and not any("compromises" in line for line in text)
    assert any(line.startswith("  round 10: median") for line in text)
    data = details_to_dict(traj.details, ids, ["emissions"])
    assert len(data["rounds"]) == 11 and "risk" not in data["rounds"][1]["emissions"]
    assert data["rounds"][0]["emissions"]["median"] == traj.outcome[0, 0]
    json.dumps(data)
    with pytest.raises(AccordError, match="details must be one of full, summary"):
        get_model("eum", details="some")


@pytest.mark.parametrize("model", ["eum-scholz", "eum"])
def test_monte_carlo_batches_run_with_summary_details(model, monkeypatch):
    import accord.models.eum.rounds as core
    from accord.experiments.uncertainty import run_batch

    levels = []
    real = core.run_eum

    def spy(*args, **kwargs):
        levels.append(args[-1])
        return real(*args, **kwargs)

    monkeypatch.setattr(core, "run_eum", spy)
    arrays = synthetic(np.random.default_rng(7), 8, 3, batch=(7,), stake_p=0.8)
    finals = run_batch(get_model(model), arrays, np.random.SeedSequence(0), chunk=3)
    assert levels == ["summary"] * 3
    levels.clear()
    np.testing.assert_array_equal(finals, get_model(model).run(arrays).final)
    assert levels == ["full"]
