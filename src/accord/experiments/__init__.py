"""What analysts do with models: forecasts, uncertainty, what-ifs, sensitivity, sweeps.

The sweep's names load on first use (:func:`__getattr__`): a sweep needs pandas, which a
forecast or a what-if does not load.
"""

from typing import Any

from accord.experiments.events import Event, parse_event
from accord.experiments.forecast import Forecast, ModelRun, forecast
from accord.experiments.interventions import Intervention, apply, parse_assignment
from accord.experiments.sensitivity import sensitivity
from accord.experiments.uncertainty import Ensemble, ensemble, summarise
from accord.experiments.whatif import PairedOutcomes, load_whatifs, whatif

_LAZY = {"load_results": "sweep", "load_spec": "sweep", "make_spec": "sweep", "run_sweep": "sweep"}

__all__ = [
    "Ensemble", "Event", "Forecast", "Intervention", "ModelRun", "PairedOutcomes", "apply", "ensemble",
    "forecast", "load_results", "load_spec", "load_whatifs", "make_spec", "parse_assignment",
    "parse_event", "run_sweep", "sensitivity", "summarise", "whatif",
]


def __getattr__(name: str) -> Any:
    """Import a sweep name on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value
