"""Model names: the built-in models (imported only when first asked for) and any a user registers.

Looking a name up does not import the model's numerics: a model's module holds its parameters
and tags, and imports its kernels (numba, scipy) inside ``_run``. So listing the models, reading
their parameters or making one is fast.
"""

from __future__ import annotations

import difflib
import importlib
from typing import Any

from accord.errors import AccordError
from accord.models.base import Model

#: built-in models in the order they are listed and run (simple to elaborate, fitted last):
#: name -> "module:class"
BUILTIN = {
    "compromise": "accord.models.baseline.compromise:Compromise",
    "mean": "accord.models.baseline.mean:Mean",
    "median": "accord.models.baseline.median:Median",
    "weighted-median": "accord.models.baseline.median:WeightedMedian",
    "nash": "accord.models.baseline.nash:Nash",
    "eum": "accord.models.eum.model:ExpectedUtility",
    "eum-scholz": "accord.models.eum.model:ExpectedUtilityScholz",
    "exchange": "accord.models.exchange.model:ExchangeModel",
    "exchange-random": "accord.models.exchange.model:ExchangeRandom",
    "smp": "accord.models.smp.model:Smp",
    "choice": "accord.models.choice.model:PositionChoice",
}

_REGISTRY: dict[str, type[Model]] = {}


def register(cls: type[Model]) -> type[Model]:
    """Class decorator: make a model available by its ``name`` (looked up without regard to case).

    ``cls`` is a :class:`~accord.models.base.Model` subclass with a ``name``. (It is not listed
    under Parameters: numpydoc's validator takes a first argument called ``cls`` for a class
    method's and skips it.)

    Returns
    -------
    type[Model]
        ``cls`` itself.

    Raises
    ------
    ValueError
        When ``cls`` has no ``name``.
    TypeError
        When a field of ``cls`` is not declared with :func:`~accord.models.base.param`.
    """
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    cls.parameters()  # every field declared with param(): fail at registration, not at first use
    _REGISTRY[cls.name.lower()] = cls
    return cls


def available_models() -> list[str]:
    """Every model name: the built-in ones in :data:`BUILTIN` order, then those registered since.

    Returns
    -------
    list[str]
        The names as the models spell them.
    """
    extra = [cls.name for key, cls in _REGISTRY.items() if key not in BUILTIN]
    return [*BUILTIN, *extra]


def model_class(name: str) -> type[Model]:
    """Return the class of the model called ``name`` (any case).

    A built-in model's module is imported on the first look-up.

    Parameters
    ----------
    name : str
        A model name, e.g. ``"eum"``.

    Returns
    -------
    type[Model]
        The registered class.

    Raises
    ------
    AccordError
        For an unknown name, with the closest known one and the list of all.
    """
    key = str(name).lower()
    if key not in _REGISTRY and key in BUILTIN:
        module, _, attr = BUILTIN[key].partition(":")
        _REGISTRY[key] = getattr(importlib.import_module(module), attr)
    if key in _REGISTRY:
        return _REGISTRY[key]
    known = available_models()
    hint = difflib.get_close_matches(key, known, n=1)
    did = f"; did you mean {hint[0]!r}?" if hint else ""
    raise AccordError(f"unknown model {name!r}{did} (available: {', '.join(known)})")


def get_model(name: str, **params: Any) -> Model:
    """Return an instance of the named model with the given parameters (the others at their defaults).

    Parameters
    ----------
    name : str
        A model name (any case).
    **params : Any
        Parameter values by name.

    Returns
    -------
    Model
        The model, its parameters checked.

    Raises
    ------
    AccordError
        For an unknown model, a parameter it does not have, or a value it does not accept.
    """
    cls = model_class(name)
    cls.check_names(params)
    return cls(**params)
