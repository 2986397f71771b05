"""Hypothesis profiles for the property and fuzz tests.

* ``ci`` (the default): derandomised, so every run tries the same examples and a failure
  repeats; each test's own example count.
* ``fuzz``: random, :data:`FUZZ_FACTOR` times the examples, failures saved in ``.hypothesis/``
  to be replayed; run it with ``make fuzz`` (or ``HYPOTHESIS_PROFILE=fuzz pytest ...``).

Tests ask for their example count through :func:`examples`, so the profile scales them.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FUZZ_FACTOR = 40
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True,
                          suppress_health_check=_QUIET)
settings.register_profile("fuzz", derandomize=False, deadline=None, print_blob=True,
                          suppress_health_check=_QUIET, max_examples=100 * FUZZ_FACTOR)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """``n`` examples under the ``ci`` profile, :data:`FUZZ_FACTOR` times as many under ``fuzz``."""
    return n * FUZZ_FACTOR if PROFILE == "fuzz" else n
