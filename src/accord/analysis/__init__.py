"""Deal analysis: is a package acceptable, to whom, which points break it, and what would fix it.

See ``docs/deal-analysis.md`` for the utility and the acceptance rules.
"""

from accord.analysis.acceptance import Assessment, Rules, assess, clout
from accord.analysis.breakers import Breaker, deal_breakers
from accord.analysis.deal import Comparison, DealResult, Setting, compare_deals, evaluate_deal, judge, prepare
from accord.analysis.disagreement import Against, disagreement_point, parse_against
from accord.analysis.proposals import load_proposals, package_vector, parse_points, with_points
from accord.analysis.repair import Move, Repair, find_repair
from accord.analysis.utility import issue_gains, utility

__all__ = [
    "Against", "Assessment", "Breaker", "Comparison", "DealResult", "Move", "Repair", "Rules",
    "Setting", "assess", "clout", "compare_deals", "deal_breakers", "disagreement_point",
    "evaluate_deal", "find_repair", "issue_gains", "judge", "load_proposals", "package_vector",
    "parse_against", "parse_points", "prepare", "utility", "with_points",
]
