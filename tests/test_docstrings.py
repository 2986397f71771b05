"""The public Python API is documented in numpydoc form (issue 12, item 7).

Ruff's pydocstyle rules (numpy convention, ``make test``) check the form of every docstring;
this test checks what ruff cannot: with :func:`numpydoc.validate.validate`, every public
function of the library's public modules has a docstring, documents each of its parameters
under ``Parameters`` (and names none it does not take) and, when it returns a value, has a
``Returns`` section; every public class and public method has a docstring; every model class
lists its parameters (written from their declarations by :mod:`accord.models.base`).

Public: the subpackages scenario, models, experiments, analysis, evaluate, report, runs and
store (the command line and the web server are front ends: their documentation is their help
text and the OpenAPI schema), modules and names without a leading underscore, defined in the
module that is checked (re-exports are checked where they are defined).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")

PACKAGES = ["scenario", "models", "experiments", "analysis", "evaluate", "report", "runs", "store"]
SKIPPED = ("accord.store.migrations",)  # Alembic's revision scripts
FUNCTION_CODES = {"GL08", "PR01", "PR02", "RT01"}
CLASS_CODES = {"GL08"}
MODEL_CODES = {"GL08", "PR01", "PR02"}


def public_modules(sub: str) -> Iterator[str]:
    package = importlib.import_module(f"accord.{sub}")
    yield package.__name__
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        private = any(part.startswith("_") for part in info.name.split(".")[1:])
        if not private and not info.name.startswith(SKIPPED):
            yield info.name


def targets(sub: str) -> Iterator[tuple[str, frozenset[str]]]:
    """(qualified name, the numpydoc codes it must not have) for every public object of ``sub``."""
    from accord.models.base import Model

    for module_name in public_modules(sub):
        module = importlib.import_module(module_name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module_name:
                continue
            qual = f"{module_name}.{name}"
            if inspect.isfunction(obj):
                yield qual, frozenset(FUNCTION_CODES)
            elif inspect.isclass(obj):
                is_model = issubclass(obj, Model) and obj is not Model and obj.parameters()
                yield qual, frozenset(MODEL_CODES if is_model else CLASS_CODES)
                for method, member in vars(obj).items():
                    if not method.startswith("_") and inspect.isfunction(member):
                        yield f"{qual}.{method}", frozenset(CLASS_CODES)


@pytest.mark.parametrize("sub", PACKAGES)
def test_the_public_api_is_documented(sub):
    problems = []
    for qual, codes in targets(sub):
        result = numpydoc_validate.validate(qual)
        problems += [f"{qual}: {code} {message}" for code, message in result["errors"] if code in codes]
    assert not problems, f"{len(problems)} docstring problems:\n" + "\n".join(problems)


def test_the_check_finds_an_undocumented_parameter(tmp_path, monkeypatch):
    """The validator this test relies on does flag what it is asked to flag."""
    (tmp_path / "undocumented_example.py").write_text(
        'def f(a, b):\n    """Add.\n\n    Parameters\n    ----------\n    a : int\n        One.\n    """\n'
        "    return a + b\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    codes = {code for code, _ in numpydoc_validate.validate("undocumented_example.f")["errors"]}
    assert {"PR01", "RT01"} <= codes


def test_model_classes_list_their_declared_parameters():
    """Each model's docstring names every declared parameter with its default (from param())."""
    from accord.models.registry import available_models, model_class

    for name in available_models():
        cls = model_class(name)
        doc = inspect.getdoc(cls) or ""
        for p in cls.parameters().values():
            assert f"{p.name} : " in doc and f"default {p.default!r}" in doc, (name, p.name)
