"""Stakeholder models: one subpackage per family, all behind one contract.

``base.py`` is the contract (:class:`Model`, declared parameters, :class:`Trajectory`,
:class:`Details`), ``registry.py`` names the models and imports a built-in one only when it is
first asked for, ``checks.py`` tests any model against the invariants it claims. Families:
``baseline/`` (compromise, mean, median, weighted median, Nash), ``eum/``, ``exchange/``,
``smp/`` and ``choice/``. Importing this package imports no numerics beyond numpy.
"""

from accord.models.base import Details, Model, Param, Trajectory, param
from accord.models.registry import available_models, get_model, model_class, register

__all__ = ["Details", "Model", "Param", "Trajectory", "available_models", "get_model", "model_class",
           "param", "register"]
