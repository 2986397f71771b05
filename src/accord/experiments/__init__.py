"""What analysts do with models: forecasts, uncertainty, what-ifs, sensitivity, sweeps."""

from accord.experiments.forecast import Forecast, ModelRun, forecast

__all__ = ["Forecast", "ModelRun", "forecast"]
