"""The expected-utility models of Bueno de Mesquita: ``eum-scholz`` (as replicated) and ``eum``.

Both run the same rounds (:mod:`accord.models.eum.rounds`, specified in
``docs/specs/expected-utility.md``); they differ in the rule variants
(:class:`accord.models.eum.rules.Rules`) their parameters select.

``eum-scholz``
    Exactly as Scholz, Calbert & Smith (2011) compute it.

    Bueno de Mesquita's expected-utility model (Bueno de Mesquita 1994, 2002) in the form published
    by Scholz, Calbert & Smith, *Unravelling Bueno de Mesquita's group decision model*,
    J. Theoretical Politics 23(4), 2011, and as their code computes it (replicated by J. McKibben,
    ``bdm-scholz-expected-utility-model``). Reproduces that program's trajectories, including its
    defects (listed in ``docs/models/expected-utility.md`` and corrected in the ``eum`` model):

    * capitulation offers are never accepted (its test compares E_ji with |E_ji|);
    * among compromise offers the actor takes the lowest EU-weighted position
      K_ij = (|E_ij| x_i + |E_ji| x_j) / (|E_ij| + |E_ji|), not the smallest move;
    * the probability of success divides by the total absolute vote over all actor pairs,
      Z = sum_k sum_a sum_b |v_k(x_a, x_b)|, so P(a, b) + P(b, a) << 1;
    * no (1 - Q)(T U_b + (1 - T) U_w) term and no T parameter;
    * the median visits candidate positions in ascending order with strict replacement.

    Each round: r_i from danger levels D_i = sum_k EU_i(k -> i) (exponent 1),
    R_i = (2 D_i - D_max - D_min)/(D_max - D_min), r_i = (1 - R_i/3)/(1 + R_i/3); then each actor
    takes at most one offer: a lost confrontation (E_ji > E_ij > 0, move to x_j) before a
    compromise (E_ij < 0 < E_ji, |E_ij| < E_ji, move to x_i + (x_j - x_i)|E_ij/E_ji|).
    Distances are fractions of the initial span of positions. The forecast per round
    (``Trajectory.outcome``) is the capability x salience weighted median among the actors'
    positions (BDM's convention); ``EumDetails.mean`` holds the weighted mean.

``eum``
    With the replication's defects repaired.

    The model of Bueno de Mesquita (1994, 2002) in the notation of Scholz, Calbert & Smith (2011),
    J. Theoretical Politics 23(4) -- the same rounds as ``eum-scholz`` (risk exponents from danger
    levels, then offers: confrontation, compromise, capitulation) -- with each defect of the
    reference code repaired as the papers describe. Every repair is a parameter, so its effect can
    be studied on its own (the defaults switch them all on):

    1. ``capitulation=True``: an actor with E_ij < 0 < E_ji and E_ji <= |E_ij| capitulates (moves to
       x_j); the reference tests E_ji < |E_ji|, which is never true.
    2. ``compromise_choice="least_move"``: among compromises the actor takes the one that moves it
       least, |x_i - y| (BDM; Scholz et al.: "the offer requiring the least change"); the reference
       ("position_key") takes the lowest K_ij = (|E_ij| x_i + |E_ji| x_j)/(|E_ij| + |E_ji|).
    3. ``probability="pairwise"``: P(a, b) = sum_k max(0, v_k(a, b)) / sum_k |v_k(a, b)|, Scholz et
       al.'s published formula, so P(a, b) + P(b, a) = 1; the reference ("global") divides by the
       total absolute vote over all pairs. ``votes_use_risk`` (default True) keeps the voters' own
       exponents r_k in the votes (the paper prints exponent 1; False uses 1 in numerator and
       denominator).
    4. ``median_tie_tol=1e-12``: the median (ascending candidates) keeps the lower position when
       |F(y) - F(m)| <= tol * sum_k c_k s_k * span and flags the tie (``EumDetails.median_tie``).
    5. ``status_quo_term=True``: EU includes -(1 - Q)(T U_b + (1 - T) U_w) with
       U_b,w = 2 - 4 (0.5 -/+ 0.25 (d(x_a, mu) + d(x_a, x_b)))^r and mu the round-start median
       (BDM 1994; Scholz et al. eq. 5). Inert at the default Q = 1. The danger level of §7 sums this
       EU over every other actor, co-located ones included.

    Not defects, kept as published in both models: risk relative to all actors' danger levels,
    both expected utilities of an offer evaluated with the receiver's exponent, mixed exponents
    (voters' own r_k in P, the evaluator's in utilities, 1 in the median). Optional switches:
    ``offer_selection="least_move_any_type"`` (smallest move over all offers; ties confrontation,
    compromise, capitulation, then input order) and ``require_sender_interest`` (drop offers whose
    proposer does not gain, EU_j(j -> i) <= 0 with r_j; unvalidated). Division by zero when all
    danger levels are equal gives r = 1 (``EumDetails.equal_danger``), as in ``eum-scholz``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from accord.models.base import Model, Trajectory, param
from accord.models.eum.rules import Rules
from accord.models.registry import register
from accord.scenario.arrays import ScenarioArrays

DETAIL_LEVELS = ("full", "summary")
_DETAILS_DOC = ('"full": per-actor risk exponents and accepted offers every round; "summary": only '
                "per-issue medians, means, flags and the converged round (same positions and outcomes, "
                "about a quarter of the memory)")
_THREADS_DOC = ("threads for the issues of a run with more than 64 actors (null: every core; the numbers "
                "do not depend on it)")


@dataclass(frozen=True)
class ExpectedUtilityBase(Model):
    """What the two expected-utility models share: tags and the run; subclasses give the rules."""

    dynamic: ClassVar[bool] = True
    detail_levels: ClassVar[tuple[str, ...]] = DETAIL_LEVELS

    def rules(self) -> Rules:
        """Return the rule variants the parameters select.

        Returns
        -------
        Rules
            The variants :mod:`accord.models.eum.rounds` runs with.
        """
        raise NotImplementedError

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Trajectory:
        from accord.cores import resolve_workers
        from accord.models.eum.rounds import run_eum

        # rounds, stop_tol, details and threads are declared by both subclasses, not here
        threads = resolve_workers(self.threads)  # type: ignore[attr-defined]
        return run_eum(arrays, self.rules(), self.rounds, self.stop_tol, self.details,  # type: ignore[attr-defined]
                       threads=threads)


@register
@dataclass(frozen=True)
class ExpectedUtilityScholz(ExpectedUtilityBase):
    """The expected-utility model exactly as Scholz, Calbert & Smith's code computes it.

    References
    ----------
    B. Bueno de Mesquita, "Political forecasting: an expected utility method", in Bueno de
    Mesquita & Stokman (eds.), *European Community Decision Making*, Yale University Press, 1994;
    J. B. Scholz, G. J. Calbert & G. A. Smith, "Unravelling Bueno de Mesquita's group decision
    model", *J. Theoretical Politics* 23(4), 2011.
    """

    name: ClassVar[str] = "eum-scholz"
    summary: ClassVar[str] = "expected-utility model as replicated by Scholz et al. 2011 (defects included)"

    rounds: int = param(10, "rounds to run (10 as in Scholz et al.)", low=0)
    Q: float = param(1.0, "probability that the status quo persists without a challenge", low=0, high=1)
    stop_tol: float | None = param(0.0, "stop when no actor moves by more than this (0: at a fixed "
                                        "point; null: run every round)", low=0)
    details: str = param("full", _DETAILS_DOC, choices=DETAIL_LEVELS)
    threads: int | None = param(None, _THREADS_DOC, low=1)

    def rules(self) -> Rules:
        """Return the reference's rules, with its Q.

        Returns
        -------
        Rules
            The variants :mod:`accord.models.eum.rounds` runs with.
        """
        return Rules(Q=self.Q)


@register
@dataclass(frozen=True)
class ExpectedUtility(ExpectedUtilityBase):
    """The expected-utility model with the replication's defects repaired, each by a parameter.

    References
    ----------
    B. Bueno de Mesquita, "Political forecasting: an expected utility method", in Bueno de
    Mesquita & Stokman (eds.), *European Community Decision Making*, Yale University Press, 1994;
    B. Bueno de Mesquita, *Predicting Politics*, Ohio State University Press, 2002;
    J. B. Scholz, G. J. Calbert & G. A. Smith, "Unravelling Bueno de Mesquita's group decision
    model", *J. Theoretical Politics* 23(4), 2011.
    """

    name: ClassVar[str] = "eum"
    summary: ClassVar[str] = "expected-utility model (Bueno de Mesquita), replication defects repaired"

    rounds: int = param(10, "rounds to run", low=0)
    Q: float = param(1.0, "probability that the status quo persists without a challenge", low=0, high=1)
    T: float = param(1.0, "probability that a challenged status quo is replaced by the better outcome "
                          "(the (1 - Q)(T U_b + (1 - T) U_w) term)", low=0, high=1)
    stop_tol: float | None = param(0.0, "stop when no actor moves by more than this (0: at a fixed "
                                        "point; null: run every round)", low=0)
    capitulation: bool = param(True, "accept capitulations (E_ij < 0 < E_ji <= |E_ij|; the reference "
                                     "never does)")
    compromise_choice: str = param("least_move", "among compromises take the least move, or the "
                                   "reference's lowest position key K_ij",
                                   choices=("least_move", "position_key"))
    probability: str = param("pairwise", "divide votes by the pair's total (P(a, b) + P(b, a) = 1), or "
                             "by the total over all pairs as the reference does",
                             choices=("pairwise", "global"))
    votes_use_risk: bool = param(True, "the voters' own risk exponents in the votes (else exponent 1)")
    median_tie_tol: float = param(1e-12, "relative tolerance within which a median tie keeps the lower "
                                         "position (and is reported)", low=0)
    status_quo_term: bool = param(True, "include the -(1 - Q)(T U_b + (1 - T) U_w) term (inert at Q = 1)")
    offer_selection: str = param("type_priority", "accept offers by type (confrontation, compromise, "
                                 "capitulation), or the smallest move of any type",
                                 choices=("type_priority", "least_move_any_type"))
    require_sender_interest: bool = param(False, "drop offers whose proposer does not gain "
                                                 "(EU_j(j -> i) <= 0; unvalidated)")
    details: str = param("full", _DETAILS_DOC, choices=DETAIL_LEVELS)
    threads: int | None = param(None, _THREADS_DOC, low=1)

    def rules(self) -> Rules:
        """Return the rule variants the repair switches select.

        Returns
        -------
        Rules
            The variants :mod:`accord.models.eum.rounds` runs with.
        """
        return Rules(
            Q=self.Q,
            T=self.T,
            status_quo_term=self.status_quo_term,
            pairwise_probability=self.probability == "pairwise",
            votes_use_risk=self.votes_use_risk,
            capitulation=self.capitulation,
            least_move_compromise=self.compromise_choice == "least_move",
            median_tie_tol=self.median_tie_tol,
            least_move_any_type=self.offer_selection == "least_move_any_type",
            require_sender_interest=self.require_sender_interest,
        )
