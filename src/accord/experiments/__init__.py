"""What analysts do with models: forecasts, uncertainty, what-ifs, sensitivity, sweeps."""

from accord.experiments.events import Event, parse_event
from accord.experiments.forecast import Forecast, ModelRun, forecast
from accord.experiments.interventions import Intervention, apply, parse_assignment
from accord.experiments.sensitivity import sensitivity
from accord.experiments.sweep import load_results, load_spec, make_spec, run_sweep
from accord.experiments.uncertainty import Ensemble, ensemble, summarise
from accord.experiments.whatif import PairedOutcomes, load_whatifs, whatif

__all__ = [
    "Ensemble", "Event", "Forecast", "Intervention", "ModelRun", "PairedOutcomes", "apply", "ensemble",
    "forecast", "load_results", "load_spec", "load_whatifs", "make_spec", "parse_assignment",
    "parse_event", "run_sweep", "sensitivity", "summarise", "whatif",
]
