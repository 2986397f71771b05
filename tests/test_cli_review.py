"""Regressions from the review of the CLI, reports and scenario layer: user errors are one line
with exit 1 or 2 (never 70), outputs are complete or absent, NaN never prints as 'nan'."""

from __future__ import annotations

import pytest

from accord.cli.main import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["forecast", "--rounds", "0"], "--rounds"),
        (["forecast", "--draws", "0"], "--draws"),
        (["forecast", "--format", "xml"], "xml"),
        (["forecast", "--bogus"], "--bogus"),
        (["backtest"], "Missing argument"),
    ],
)
def test_usage_errors_exit_2_not_internal_error(capsys, args, words):
    # click's usage errors (bad option values, unknown options, missing arguments) are the
    # user's, exit code 2 by click's convention; 70 would call them a bug in accord
    code, out, err = run(capsys, *args)
    assert code == 2, err
    assert words in err and "internal error" not in err and "Traceback" not in err + out
