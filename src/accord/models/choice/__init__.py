"""The position-choice model: which stakeholder's position becomes the outcome.

Or the compromise; fitted on the DEU III data (coefficients in ``data/choice.json``).
"""

from accord.models.choice.model import (
    ALL_FEATURES,
    FEATURES,
    LEVELS,
    PIVOT_FEATURES,
    ChoiceDetails,
    PositionChoice,
    choice_features,
    choice_mixture,
    choice_quantiles,
    laplace_mixture_cdf,
    mixture_quantiles,
    shipped_coefficients,
)

__all__ = [
    "ALL_FEATURES", "FEATURES", "LEVELS", "PIVOT_FEATURES", "ChoiceDetails", "PositionChoice",
    "choice_features", "choice_mixture", "choice_quantiles", "laplace_mixture_cdf",
    "mixture_quantiles", "shipped_coefficients",
]
