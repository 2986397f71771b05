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


def _run_main(*args: str) -> tuple[str, list[str], list[str]]:
    """Run ``main(args)`` in a fresh interpreter: its output, the heavy packages and the command modules loaded."""
    code = ("import sys\nfrom accord.cli.main import main\n"
            f"main({list(args)!r})\n"
            f"print('@', ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
            "print('@', ','.join(sorted(m for m in sys.modules if m.startswith('accord.cli.') and m.endswith('_cmd'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    text, heavy, commands = out.rsplit("@", 2)
    return text, [m for m in heavy.strip().split(",") if m], [m for m in commands.strip().split(",") if m]


def test_version_loads_no_command_and_help_lists_every_command():
    from accord import __version__

    text, heavy, commands = _run_main("--version")
    assert text.strip() == f"accord {__version__}"
    assert heavy == [] and commands == []
    text, heavy, commands = _run_main("--help")
    assert heavy == []
    listed = ["forecast", "backtest", "whatif", "sensitivity", "sweep", "deal", "strategy", "scenario", "runs",
              "report", "models", "serve"]
    assert all(f"│ {name} " in text for name in listed)
    assert len(commands) == 12


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
