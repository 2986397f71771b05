"""Stakeholder models, one module each, all behind :class:`accord.models.base.Model`."""

from accord.models import (  # noqa: F401  (registration)
    choice,  # noqa: F401  (registration: the fitted position-choice model)
    compromise,
    eum,
    eum_scholz,
    exchange,
    mean,
    median,
    nash,
    smp,
)
from accord.models.base import (
    Model,
    Trajectory,
    available_models,
    get_model,
    model_class,
    register,
)

__all__ = ["Model", "Trajectory", "available_models", "get_model", "model_class", "register"]
