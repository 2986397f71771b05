"""The command line starts without the numerical stack: ``accord --help`` and ``--version`` import
no numpy, pandas, scipy, numba, matplotlib, pydantic, SQLAlchemy or FastAPI (they load with the
command that needs them), a command loads its own module and no other command's, and the CLI's
default seed is the library's."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("numpy", "pandas", "scipy", "numba", "matplotlib", "pydantic", "sqlalchemy", "fastapi")


def test_the_cli_imports_no_numerical_stack():
    code = ("import sys, accord.cli.main; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == ""


def test_the_cli_default_seed_is_the_library_default():
    from accord.cli.options import SEED
    from accord.rng import DEFAULT_SEED

    assert SEED == DEFAULT_SEED


def test_a_static_forecast_loads_no_scipy_pandas_or_numba():
    """``accord forecast -m compromise`` needs numpy and the scenario schema (pydantic), not the rest
    of the stack: the settlement headline that opens every forecast solves its linear programs with
    scipy's compiled HiGHS loaded on its own (:mod:`accord.analysis.batched_lp`), without
    ``scipy.optimize`` or ``scipy.sparse``; pandas, numba and matplotlib load with the commands (and
    models) that use them (issue 15: the command took 1.7 s, of which the model 0.01 s)."""
    code = ("import sys\nfrom accord.cli.main import main\n"
            "code = main(['forecast', '-m', 'compromise', '-f', 'json'])\n"
            f"print(code, ','.join(m for m in {HEAVY!r} + ('scipy.optimize', 'scipy.sparse') if m in sys.modules))\n"
            "print(','.join(sorted(m for m in sys.modules if m.startswith('accord.cli.') and m.endswith('_cmd'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    status, loaded = out.strip().splitlines()[-2].split(" ", 1)
    assert status == "0"
    assert set(loaded.split(",")) <= {"numpy", "pydantic"}
    assert out.strip().splitlines()[-1] == "accord.cli.forecast_cmd"
