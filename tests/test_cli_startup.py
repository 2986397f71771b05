"""The command line starts without the numerical stack: ``accord --help`` and ``--version`` import
no numpy, pandas, scipy, numba, matplotlib, pydantic, SQLAlchemy or FastAPI (they load with the
command that needs them), and the CLI's default seed is the library's."""

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
