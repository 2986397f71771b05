"""Backtesting on negotiations with known outcomes: loaders, metrics, cross-validation."""

from accord.evaluate.deu import DeuCase, DeuData, load_deu

__all__ = ["DeuCase", "DeuData", "load_deu"]
