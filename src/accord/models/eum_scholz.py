"""Expected-utility model exactly as Scholz, Calbert & Smith (2011) compute it (``eum-scholz``).

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
positions (BDM's convention); ``details["mean"]`` holds the weighted mean.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.models.base import register
from accord.models.eum_core import ExpectedUtilityBase
from accord.models.eum_kernel import Rules


@register
@dataclass(frozen=True)
class ExpectedUtilityScholz(ExpectedUtilityBase):
    """Parameters: ``rounds`` (10, as in Scholz et al.), ``Q`` (1: the status quo persists
    without a challenge), ``stop_tol`` (stop when no actor moves by more than this; 0 is exact,
    None runs every round), ``details`` ("full", or "summary": no per-actor risk exponents and
    offers, same positions and outcomes; see :mod:`accord.models.eum_core`)."""

    name = "eum-scholz"
    summary = "expected-utility model as replicated by Scholz et al. 2011 (defects included)"

    rounds: int = 10
    Q: float = 1.0
    stop_tol: float | None = 0.0
    details: str = "full"

    def rules(self) -> Rules:
        return Rules(Q=float(self.Q))
