"""Which variant of each rule the expected-utility rounds use, and the kinds of offer.

The two registered models differ only in these switches: ``eum-scholz`` keeps the reference
replication's rules (the defaults here), ``eum`` repairs its defects (``docs/specs/expected-utility.md``
§14).
"""

from __future__ import annotations

from dataclasses import dataclass

#: kinds of accepted offer (spec §8); index into :data:`OFFER_TYPES`
NONE, CONFRONTATION, COMPROMISE, CAPITULATION = 0, 1, 2, 3
OFFER_TYPES = ("none", "confrontation", "compromise", "capitulation")


@dataclass(frozen=True)
class Rules:
    """Which variant of each rule to use (faithful = the reference; see spec §14)."""

    Q: float = 1.0
    T: float = 1.0
    status_quo_term: bool = False  # §6/§14.5: include -(1-Q)(T U_b + (1-T) U_w)
    pairwise_probability: bool = False  # §4/§14.3: Z(a, b) instead of the global Z
    votes_use_risk: bool = True  # §4: corrected P uses the voters' r_k (else exponent 1)
    capitulation: bool = False  # §8/§14.1: E_ij < 0 < E_ji <= |E_ij| is a capitulation
    least_move_compromise: bool = False  # §9/§14.2: smallest move instead of the position key
    median_tie_tol: float | None = None  # §3/§14.4: relative tie tolerance (None: strict)
    least_move_any_type: bool = False  # §9 optional: ignore the type priority
    require_sender_interest: bool = False  # §14.8 optional: drop offers with EU_j(j->i) <= 0
