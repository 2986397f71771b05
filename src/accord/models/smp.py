"""Spatial model of politics (SMP) of KAPSARC's Toolkit for Behavioral Analysis (KTAB).

Each turn every actor infers its risk attitude from a probabilistic Condorcet election over
the current positions, picks the challenge with the best expected gain from its own view,
and proposes a compromise to that target; every actor then picks, by a PCE over the states
the proposals would produce, one bargain among those it is party to (or stays). Ideals follow
positions through an accommodation matrix. The run stops when moves fall below 2% of the
first turn's. Default options are KTAB's; see ``docs/models/spatial-model.md``.

Sources: Wise, Lester, Ben Yahia et al., *KTAB* (KAPSARC, 2015-2017; smp.cpp, smpbcn.cpp,
kmodel.cpp), its tutorial, "Markov voting with incentives in KTAB" and "Pragmatic affinity";
described for re-implementation in ``shared/models/spatial-model.md``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.errors import AccordError
from accord.models.base import Model, Trajectory, register
from accord.models.smp_core import BigRAdjust, BigRRange, PCEModel, VictoryModel, VotingRule
from accord.models.smp_details import bargains_json, bargains_text
from accord.models.smp_run import Inputs, simulate
from accord.models.smp_step import BargnModel, Commit, InterVecBrgn, Rules
from accord.scenario.arrays import ScenarioArrays

_ENUMS = {
    "voting_rule": VotingRule, "victory_model": VictoryModel, "pce_model": PCEModel,
    "big_r_range": BigRRange, "big_r_adjust": BigRAdjust, "third_party_commit": Commit,
    "inter_vec_bargain": InterVecBrgn, "bargain_model": BargnModel,
}


def _enum(name: str, value: str) -> Any:
    cls = _ENUMS[name]
    for member in cls:
        if member.value.lower() == str(value).lower():
            return member
    choices = ", ".join(m.value for m in cls)
    raise AccordError(f"smp: {name} must be one of {choices}, not {value!r}")


@register
@dataclass(frozen=True)
class Smp(Model):
    """KTAB's SMP; defaults are KTAB's (``ScenarioDesc`` of its CSV runs)."""

    name = "smp"
    summary = "KTAB's spatial model of politics: challenges, bargains and PCE votes"
    dynamic = True

    voting_rule: str = "Prop"  # Prop, Binary, PropBin, PropCbc, Cubic, ASymProsp
    victory_model: str = "Linear"  # Linear, Square, Quartic, Octic, Binary
    pce_model: str = "Conditional"  # Conditional, MarkovUniform, MarkovIncentive
    state_transitions: str = "Deterministic"  # or Stochastic (needs an rng)
    big_r_range: str = "Mid"  # Min, Mid, Max
    big_r_adjust: str = "OneThird"  # None, OneThird, Half, TwoThirds, Full
    third_party_commit: str = "SemiCommit"  # SemiCommit, FullCommit, NoCommit
    inter_vec_bargain: str = "S2P2"  # S2P2, S1P1, S2PMax
    bargain_model: str = "InitOnlyInterp"  # InitOnlyInterp, InitRcvrInterp, PWCompInterp
    rounds: int = 100  # KTAB's maxIter
    min_rounds: int = 2  # KTAB's minIter
    stop_ratio: float = 0.02  # stop when a turn moves less than this share of the first turn
    accommodation: tuple[tuple[float, ...], ...] | None = None  # A[i][j]; None = identity

    def rules(self) -> Rules:
        """The validated options."""
        return Rules(*(_enum(n, getattr(self, n)) for n in (
            "voting_rule", "victory_model", "pce_model", "big_r_range", "big_r_adjust",
            "third_party_commit", "inter_vec_bargain", "bargain_model")))

    def _stochastic(self) -> bool:
        mode = str(self.state_transitions).lower()
        if mode not in ("deterministic", "stochastic"):
            raise AccordError("smp: state_transitions must be Deterministic or Stochastic, "
                              f"not {self.state_transitions!r}")
        return mode == "stochastic"

    def _accommodation(self, n_actors: int) -> np.ndarray | None:
        if self.accommodation is None:
            return None
        a = np.asarray(self.accommodation, dtype=float)
        if a.shape != (n_actors, n_actors):
            raise AccordError(f"smp: accommodation must be {n_actors}x{n_actors}, not {a.shape}")
        if (a < 0).any() or (a.sum(axis=1) > 1 + 1e-10).any():
            raise AccordError("smp: accommodation needs entries >= 0 and row sums <= 1")
        return None if np.array_equal(a, np.eye(n_actors)) else a

    def run(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> Trajectory:
        """Run SMP on the actors with a stake somewhere; an actor with no stake at all is no
        player (it offers no position and values no state) and keeps its input positions. The
        details then index the players, listed in ``details["players"]``."""
        players = np.flatnonzero(arrays.stake.any(axis=1))
        if len(players) == arrays.n_actors:
            return self._simulate(arrays, rng, self._accommodation(arrays.n_actors))
        acc = self._accommodation(arrays.n_actors)
        sub = arrays.replace(
            position=arrays.position[..., players, :], salience=arrays.salience[..., players, :],
            capability=arrays.capability[..., players, :], stake=arrays.stake[players],
            veto=arrays.veto[players],
        )
        traj = self._simulate(sub, rng, None if acc is None else acc[np.ix_(players, players)])
        positions = np.repeat(arrays.position[None], traj.n_rounds, axis=0)
        positions[..., players, :] = traj.positions
        details = {**traj.details, "players": players}
        return Trajectory(positions=positions, outcome=traj.outcome, details=details)

    def _simulate(self, arrays: ScenarioArrays, rng: np.random.Generator | None,
                  accommodation: np.ndarray | None) -> Trajectory:
        rules = self.rules()
        stochastic = self._stochastic()
        if stochastic and rng is None:
            raise AccordError("smp: Stochastic state transitions need a seed (pass rng / --seed)")
        if self.rounds < 1 or self.min_rounds < 0:
            raise AccordError("smp: rounds must be at least 1 and min_rounds at least 0")
        inputs = Inputs.from_arrays(arrays, accommodation)
        out = simulate(inputs, rules, self.rounds, self.min_rounds, self.stop_ratio,
                       rng if stochastic else None)
        batch = arrays.batch_shape
        positions = out.positions.reshape(out.positions.shape[0], *batch, *out.positions.shape[2:])
        outcome = out.outcome.reshape(out.outcome.shape[0], *batch, out.outcome.shape[-1])
        details = out.details(batch)
        details["options"] = {**self.params(), "accommodation": self.accommodation is not None}
        return Trajectory(positions=positions, outcome=outcome, details=details)

    def details_json(self, trajectory: Trajectory, actor_ids: list[str], issue_ids: list[str]
                     ) -> dict[str, Any]:
        """Turns, risk attitudes, position probabilities and bargains (first draw if batched)."""
        return bargains_json(*_players_only(trajectory, actor_ids), issue_ids)

    def details_text(self, trajectory: Trajectory, actor_ids: list[str], issue_ids: list[str]
                     ) -> list[str]:
        """Readable bargains: who proposed what to whom, who moved and why."""
        return bargains_text(*_players_only(trajectory, actor_ids), issue_ids)

    @classmethod
    def from_ktab(cls, path: str, **params: Any) -> Smp:
        """The model with the parameters and ideal adjustment a KTAB XML file carries."""
        from accord.scenario.io.ktab import ktab_settings

        settings = ktab_settings(path)
        merged = {**settings.params, **params}
        if settings.accommodation is not None and "accommodation" not in params:
            merged["accommodation"] = tuple(map(tuple, settings.accommodation.tolist()))
        return cls(**merged)


def _players_only(trajectory: Trajectory, actor_ids: list[str]) -> tuple[Trajectory, list[str]]:
    """The trajectory and ids of the players alone, as the details index them."""
    players = trajectory.details.get("players")
    if players is None:
        return trajectory, actor_ids
    return (dataclasses.replace(trajectory, positions=trajectory.positions[..., players, :]),
            [actor_ids[i] for i in players])
