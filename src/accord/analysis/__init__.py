"""Deal analysis: is a package acceptable, to whom, which points break it, and what would fix it.

See ``docs/deal-analysis.md`` for the utility and the acceptance rules. Names load on first use
(:func:`__getattr__`), so a module of this package (e.g. ``diagnostics``) can be imported without
the deal search and its scipy; ``utility`` shares its name with its module and loads at once.
"""

from typing import Any

from accord.analysis.utility import issue_gains, utility

_WHERE = {
    "Assessment": "acceptance", "Rules": "acceptance", "assess": "acceptance", "clout": "acceptance",
    "Breaker": "breakers", "deal_breakers": "breakers",
    "Comparison": "deal", "DealResult": "deal", "Setting": "deal", "compare_deals": "deal",
    "evaluate_deal": "deal", "judge": "deal", "prepare": "deal",
    "Against": "disagreement", "disagreement_point": "disagreement", "parse_against": "disagreement",
    "load_proposals": "proposals", "package_vector": "proposals", "parse_points": "proposals",
    "with_points": "proposals",
    "Move": "repair", "Repair": "repair", "find_repair": "repair",
}

__all__ = [
    "Against", "Assessment", "Breaker", "Comparison", "DealResult", "Move", "Repair", "Rules",
    "Setting", "assess", "clout", "compare_deals", "deal_breakers", "disagreement_point",
    "evaluate_deal", "find_repair", "issue_gains", "judge", "load_proposals", "package_vector",
    "parse_against", "parse_points", "prepare", "utility", "with_points",
]


def __getattr__(name: str) -> Any:
    """Import one of the package's names from its module on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
