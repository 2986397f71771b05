"""Expected-utility model with the replication's defects repaired (``eum``).

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
   |F(y) - F(m)| <= tol * sum_k c_k s_k * span and flags the tie (``details["median_tie"]``).
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
danger levels are equal gives r = 1 (``details["equal_danger"]``), as in ``eum-scholz``.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.errors import AccordError
from accord.models.base import register
from accord.models.eum_core import ExpectedUtilityBase
from accord.models.eum_kernel import Rules

CHOICES = {
    "compromise_choice": ("least_move", "position_key"),
    "probability": ("pairwise", "global"),
    "offer_selection": ("type_priority", "least_move_any_type"),
}


@register
@dataclass(frozen=True)
class ExpectedUtility(ExpectedUtilityBase):
    """Parameters: ``rounds`` (10), ``Q`` (1), ``T`` (1), ``stop_tol`` (0: stop at a fixed point;
    None: run every round), the repair switches above, and ``details`` ("full": per-actor risk
    exponents and offers every round; "summary": only per-issue medians, means, flags and the
    converged round -- same positions and outcomes, about a quarter of the memory)."""

    name = "eum"
    summary = "expected-utility model (Bueno de Mesquita), replication defects repaired"

    rounds: int = 10
    Q: float = 1.0
    T: float = 1.0
    stop_tol: float | None = 0.0
    capitulation: bool = True
    compromise_choice: str = "least_move"
    probability: str = "pairwise"
    votes_use_risk: bool = True
    median_tie_tol: float = 1e-12
    status_quo_term: bool = True
    offer_selection: str = "type_priority"
    require_sender_interest: bool = False
    details: str = "full"

    def rules(self) -> Rules:
        for field, allowed in CHOICES.items():
            if getattr(self, field) not in allowed:
                raise AccordError(
                    f"eum: {field} must be one of {', '.join(allowed)} (got {getattr(self, field)!r})"
                )
        tol = self.median_tie_tol
        if not isinstance(tol, int | float) or tol < 0:
            raise AccordError(f"eum: median_tie_tol must be a number >= 0 (got {tol!r})")
        return Rules(
            Q=float(self.Q),
            T=float(self.T),
            status_quo_term=bool(self.status_quo_term),
            pairwise_probability=self.probability == "pairwise",
            votes_use_risk=bool(self.votes_use_risk),
            capitulation=bool(self.capitulation),
            least_move_compromise=self.compromise_choice == "least_move",
            median_tie_tol=float(tol),
            least_move_any_type=self.offer_selection == "least_move_any_type",
            require_sender_interest=bool(self.require_sender_interest),
        )
