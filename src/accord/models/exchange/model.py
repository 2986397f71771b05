"""Exchange model: actors trade voting positions across pairs of issues (logrolling).

Stokman & van Oosten (1994), "The exchange of voting positions: an object-oriented model of
policy networks", in Bueno de Mesquita & Stokman (eds.), *European Community Decision Making*;
the "equal gain" variant as computed by Decide (``decide-exchange-model``), specified in
``docs/specs/exchange.md``. This is the spec's ``deterministic`` mode:

* outcome of issue k: o_k = sum_i x_ik s_ik c_ik / W_k with W_k = sum_i s_ik c_ik (§2), positions
  normalised to 0..100 per issue;
* candidates: actor pairs on opposite sides of the outcome on both issues of a pair (§3); each
  trade is sized so both gain G = dP (s_Ip s_Jq - s_Iq s_Jp) / (s_Iq + s_Jq) (§4), capped so no
  supplier carries an outcome past its demander (§5);
* trades run greedily, best gain first, refreshing the candidates that share an actor and issue
  with each executed one (§6); after the round each actor moves part of the way to the positions
  it traded to: x' = x0 + (0.1 + 0.4 (1 - s)) (y - x0) (§8).

Ties (§10): the tie set is every live candidate whose gain is within ``tie_tolerance *
max(1, G_max)`` of the largest; ``tie_break="random"`` picks one uniformly with the run's
generator (one ``integers`` draw per tie event), ``"first"`` the earliest-created (issue pairs in
order, then actor pairs). Same input and seed give the same result; seeds differ only through
tie events. With a batch of draws, draw b uses child b of ``rng.spawn(B)``, so draw b equals an
unbatched run of that draw with that child.

Each draw is one compiled call (:mod:`accord.models.exchange.rounds`); ``threads > 1`` runs the
draws of a batch on threads without changing any result. ``mode="replay"`` reproduces the
reference program's decimal arithmetic and tie stream (:mod:`accord.models.exchange.replay`).

Trajectory: ``positions[r]`` = preference positions after round r (round 0 = input), ``outcome[r]``
= their weighted mean (the spec's "end of round" outcome), in issue units; the details
(:class:`~accord.models.exchange.details.ExchangeDetails`) hold the voting outcomes, tie events
and executed trades of every round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from accord.errors import AccordError
from accord.models.base import INVARIANTS, Model, Trajectory, param
from accord.models.registry import register
from accord.scenario.arrays import ScenarioArrays


@register
@dataclass(frozen=True)
class ExchangeModel(Model):
    """Equal-gain exchange of voting positions (Decide's variant), deterministic or replay mode.

    References
    ----------
    F. N. Stokman & R. van Oosten, "The exchange of voting positions: an object-oriented model of
    policy networks", in B. Bueno de Mesquita & F. N. Stokman (eds.), *European Community Decision
    Making*, Yale University Press, 1994.
    """

    name: ClassVar[str] = "exchange"
    summary: ClassVar[str] = "equal-gain exchange of voting positions (Stokman & van Oosten 1994)"
    dynamic: ClassVar[bool] = True
    uses_rng: ClassVar[bool] = True
    min_issues: ClassVar[int] = 2
    invariants: ClassVar[frozenset[str]] = INVARIANTS
    detail_levels: ClassVar[tuple[str, ...]] = ("full", "summary")

    rounds: int = param(10, "rounds of exchanges", low=0)
    mode: str = param("deterministic", "deterministic (compiled), or replay: the reference's decimal "
                      "arithmetic and tie stream (slow; p = 0 only)", choices=("deterministic", "replay"))
    tie_break: str = param("random", "settle a tie between equally good trades with the generator "
                           "(random) or by creation order (first)", choices=("random", "first"))
    tie_tolerance: float = param(1e-12, "gains within this share of max(1, G_max) of the best are tied",
                                 low=0)
    fixed_weight: float = param(0.1, "share of the way to its traded position every actor moves",
                                low=0, high=1)
    salience_weight: float = param(0.4, "further share, times (1 - salience): x' = x0 + (fixed + "
                                   "salience_weight (1 - s)) (y - x0)", low=0, high=1)
    stop_when_idle: bool = param(False, "after a round without trades, repeat it instead of running on")
    p: float = param(0.0, "random variation of the exchange rates (spec Appendix A; 0: none)",
                     low=0, high=1)
    threads: int = param(1, "threads for the draws of a batch (results do not depend on it)", low=1)
    details: str = param("full", '"full": voting outcomes, ties and every executed trade of every round; '
                         '"summary": none (the same positions and outcomes; what Monte Carlo draws use)',
                         choices=("full", "summary"))
    replay_seed: int = param(1, "replay mode: seed of the reference's random.Random tie stream "
                             "(the run's generator is not used)", low=0)
    source_file: str = param("", "replay mode: the scenario's Decide file, replayed with its numbers "
                             "exactly as written (else the arrays' numbers)")

    def _check_params(self) -> None:
        if self.fixed_weight + self.salience_weight > 1:
            raise AccordError(f"{self.name}: fixed_weight + salience_weight must be at most 1, so that "
                              f"an actor never moves past its traded position (got {self.fixed_weight} "
                              f"+ {self.salience_weight})")
        if self.mode == "replay" and self.p != 0:
            raise AccordError(f"{self.name}: replay mode reproduces the reference with p = 0 only "
                              f"(got p = {self.p})")

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Trajectory:
        if self.mode == "replay":  # ignores rng (the reference's stream is Python's)
            from accord.models.exchange.replay import run_replay

            return run_replay(self, arrays)
        from accord.models.exchange.rounds import run_rounds

        return run_rounds(self, arrays, rng)


@register
@dataclass(frozen=True)
class ExchangeRandom(ExchangeModel):
    """Exchange with random variation of the exchange rates (spec Appendix A, "REX").

    At every evaluation of a valid candidate, three uniforms u, v, z are drawn: side I (u < 0.5)
    or J is randomised, and its utility is set to G + p z (eu_max - G) (v < 0.5) or G - p z G,
    the moves following from it. Implemented as documented from the reference, including its
    quirks (the candidate's ranking gain stays the p = 0 value); not numerically verified
    against the reference (its CLI cannot run this mode).

    References
    ----------
    F. N. Stokman & R. van Oosten (1994), as for :class:`ExchangeModel`; the random variant as
    specified in ``docs/specs/exchange.md``, Appendix A.
    """

    name: ClassVar[str] = "exchange-random"
    summary: ClassVar[str] = "exchange model with random exchange rates (Decide's REX, parameter p)"
    #: random rates are drawn per candidate in creation order, which follows actor order
    invariants: ClassVar[frozenset[str]] = INVARIANTS - {"relabel"}

    p: float = param(0.5, "random variation of the exchange rates (spec Appendix A)", low=0, high=1)
