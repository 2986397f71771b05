"""Spatial model of politics (SMP) of KAPSARC's Toolkit for Behavioral Analysis (KTAB).

Each turn every actor infers its risk attitude from a probabilistic Condorcet election over
the current positions, picks the challenge with the best expected gain from its own view,
and proposes a compromise to that target; every actor then picks, by a PCE over the states
the proposals would produce, one bargain among those it is party to (or stays). Ideals follow
positions through an accommodation matrix. The run stops when moves fall below 2% of the
first turn's. Default options are KTAB's; see ``docs/models/spatial-model.md``. The model reads
no file: a KTAB XML file's model settings reach it as parameters (``accommodation`` included).

Sources: Wise, Lester, Ben Yahia et al., *KTAB* (KAPSARC, 2015-2017; smp.cpp, smpbcn.cpp,
kmodel.cpp), its tutorial, "Markov voting with incentives in KTAB" and "Pragmatic affinity";
described for re-implementation in ``docs/specs/spatial-model.md``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

import numpy as np

from accord.errors import AccordError
from accord.models.base import INVARIANTS, Model, Trajectory, param
from accord.models.registry import register
from accord.scenario.arrays import ScenarioArrays

if TYPE_CHECKING:
    from accord.models.smp.details import SmpDetails

#: the choices of each option (KTAB's spellings; matched without regard to case)
CHOICES = {
    "voting_rule": ("Prop", "Binary", "PropBin", "PropCbc", "Cubic", "ASymProsp"),
    "victory_model": ("Linear", "Square", "Quartic", "Octic", "Binary"),
    "pce_model": ("Conditional", "MarkovUniform", "MarkovIncentive"),
    "state_transitions": ("Deterministic", "Stochastic"),
    "big_r_range": ("Min", "Mid", "Max"),
    "big_r_adjust": ("None", "OneThird", "Half", "TwoThirds", "Full"),
    "third_party_commit": ("SemiCommit", "FullCommit", "NoCommit"),
    "inter_vec_bargain": ("S2P2", "S1P1", "S2PMax"),
    "bargain_model": ("InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"),
}


@register
@dataclass(frozen=True)
class Smp(Model):
    """KTAB's spatial model of politics; defaults are KTAB's (``ScenarioDesc`` of its CSV runs).

    References
    ----------
    B. Wise, S. Lester, B. Ben Yahia et al., *KTAB: the KAPSARC Toolkit for Behavioral Analysis*,
    KAPSARC, 2015-2017 (smp.cpp, smpbcn.cpp, kmodel.cpp), its tutorial, and the notes "Markov
    voting with incentives in KTAB" and "Pragmatic affinity".
    """

    name: ClassVar[str] = "smp"
    summary: ClassVar[str] = "KTAB's spatial model of politics: challenges, bargains and PCE votes"
    dynamic: ClassVar[bool] = True
    uses_rng: ClassVar[bool] = True  # with state_transitions="Stochastic"
    detail_levels: ClassVar[tuple[str, ...]] = ("full", "summary")
    #: KTAB breaks ties by actor order (first target of largest gain, first most probable bargain,
    #: positions within 1e-3 merged into the first one's option; spec §7, §9, §12)
    invariants: ClassVar[frozenset[str]] = INVARIANTS - {"relabel", "sole_weight"}
    #: KTAB's absolute constants in capability units (coalition strength 1e-8, challenge sides
    #: 1e-10, bargain delta 1e-6; spec §3.5, §6, §8) make it only nearly invariant to scaling
    #: capabilities; bargains are rounded to 4 decimals on [0, 1] (§8), so a unanimous issue may
    #: move by half a unit of the 4th decimal
    tolerances: ClassVar[dict[str, float]] = {"capability_scale": 1e-3, "unanimity": 5e-5 + 1e-9}

    voting_rule: str = param("Prop", "how an actor's utility difference becomes a vote",
                             choices=CHOICES["voting_rule"])
    victory_model: str = param("Linear", "odds of a coalition against another from their strengths",
                               choices=CHOICES["victory_model"])
    pce_model: str = param("Conditional", "probabilistic Condorcet election: conditional or Markov",
                           choices=CHOICES["pce_model"])
    state_transitions: str = param("Deterministic", "take each queue's most probable option, or draw "
                                   "it with the run's generator", choices=CHOICES["state_transitions"])
    big_r_range: str = param("Mid", "range of the risk attitudes R", choices=CHOICES["big_r_range"])
    big_r_adjust: str = param("OneThird", "how far an actor's estimate of another's risk attitude "
                              "leans to its own", choices=CHOICES["big_r_adjust"])
    third_party_commit: str = param("SemiCommit", "how far third parties commit in a challenge",
                                    choices=CHOICES["third_party_commit"])
    inter_vec_bargain: str = param("S2P2", "how a bargain interpolates between the two positions",
                                   choices=CHOICES["inter_vec_bargain"])
    bargain_model: str = param("InitOnlyInterp", "whose view of the odds sizes the bargain",
                               choices=CHOICES["bargain_model"])
    rounds: int = param(100, "most turns to run (KTAB's maxIter)", low=1)
    min_rounds: int = param(2, "fewest turns before the stopping rule applies (KTAB's minIter)", low=0)
    stop_ratio: float = param(0.02, "stop when a turn moves less than this share of the first turn's "
                              "move", low=0)
    accommodation: tuple[tuple[float, ...], ...] | None = param(
        None, "ideal adjustment A[i][j]: how far actor i's ideal follows j's position (rows of "
        "entries >= 0 summing to at most 1; null: ideals follow own positions)")
    details: str = param("full", '"full": risk attitudes, challenges, bargains and choices of every turn; '
                         '"summary": none (the same positions and outcomes, a fraction of the memory; what '
                         'Monte Carlo draws use)', choices=("full", "summary"))
    threads: int | None = param(None, "threads for the cubic steps of a state with many actors (null: "
                                "every core; the numbers do not depend on it)", low=1)

    def _check_params(self) -> None:
        a = self.accommodation
        if a is None:
            return
        if any(len(row) != len(a) for row in a):
            raise AccordError(f"{self.name}: accommodation must be a square matrix, one row and column "
                              f"per actor (got rows of lengths {[len(row) for row in a]})")
        matrix = np.asarray(a, dtype=float).reshape(len(a), len(a))
        if (matrix < 0).any() or (matrix.sum(axis=1) > 1 + 1e-10).any():
            raise AccordError(f"{self.name}: accommodation needs entries >= 0 and row sums <= 1")

    def rules(self) -> Any:
        """Return the options as KTAB's enumerations.

        Returns
        -------
        accord.models.smp.turn.Rules
            The parameters as enumerations, with the threads resolved (null: every core).
        """
        from accord.cores import resolve_workers
        from accord.models.smp.kernel import BigRAdjust, BigRRange, PCEModel, VictoryModel, VotingRule
        from accord.models.smp.turn import BargnModel, Commit, InterVecBrgn, Rules

        return Rules(VotingRule(self.voting_rule), VictoryModel(self.victory_model), PCEModel(self.pce_model),
                     BigRRange(self.big_r_range), BigRAdjust(self.big_r_adjust),
                     Commit(self.third_party_commit), InterVecBrgn(self.inter_vec_bargain),
                     BargnModel(self.bargain_model), resolve_workers(self.threads))

    def _accommodation(self, n_actors: int) -> np.ndarray | None:
        if self.accommodation is None:
            return None
        a = np.asarray(self.accommodation, dtype=float)
        if a.shape != (n_actors, n_actors):
            raise AccordError(f"{self.name}: accommodation must be {n_actors}x{n_actors} (one row and "
                              f"column per actor of the scenario), not {a.shape[0]}x{a.shape[1]}")
        return None if np.array_equal(a, np.eye(n_actors)) else a

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Trajectory:
        """Run SMP on the actors with a stake somewhere.

        An actor with no stake at all is no player (it offers no position and values no state)
        and keeps its input positions. The details then index the players, listed in
        ``SmpDetails.players``.
        """
        acc = self._accommodation(arrays.n_actors)
        players = np.flatnonzero(arrays.stake.any(axis=1))
        if len(players) == arrays.n_actors:
            return self._simulate(arrays, rng, acc)
        sub = arrays.replace(
            position=arrays.position[..., players, :], salience=arrays.salience[..., players, :],
            capability=arrays.capability[..., players, :], stake=arrays.stake[players],
            veto=arrays.veto[players],
        )
        traj = self._simulate(sub, rng, None if acc is None else acc[np.ix_(players, players)])
        positions = np.repeat(arrays.position[None], traj.n_rounds, axis=0)
        positions[..., players, :] = traj.positions
        # _simulate's details are SmpDetails (the cast tells mypy; nothing is checked at run time)
        smp_details = cast("SmpDetails | None", traj.details)
        details = None if smp_details is None else dataclasses.replace(smp_details, players=players)
        return Trajectory(positions=positions, outcome=traj.outcome, details=details)

    def _simulate(self, arrays: ScenarioArrays, rng: np.random.Generator,
                  accommodation: np.ndarray | None) -> Trajectory:
        from accord.models.smp.details import SmpDetails
        from accord.models.smp.rounds import Inputs, simulate

        stochastic = self.state_transitions == "Stochastic"
        inputs = Inputs.from_arrays(arrays, accommodation)
        out = simulate(inputs, self.rules(), self.rounds, self.min_rounds, self.stop_ratio,
                       rng if stochastic else None, self.details == "full")
        batch = arrays.batch_shape
        positions = out.positions.reshape(out.positions.shape[0], *batch, *out.positions.shape[2:])
        outcome = out.outcome.reshape(out.outcome.shape[0], *batch, out.outcome.shape[-1])
        if self.details == "summary":
            return Trajectory(positions=positions, outcome=outcome)
        options = {**{k: v for k, v in self.params().items() if k not in ("details", "threads")},
                   "accommodation": self.accommodation is not None}
        details = SmpDetails(positions=positions, options=options, **out.details(batch))
        return Trajectory(positions=positions, outcome=outcome, details=details)
