"""accord: forecast how multi-party negotiations end.

Layers (imports flow one way): scenario -> models -> experiments/analysis/evaluate
-> report/store -> cli/web.
"""

__version__ = "0.1.0"
