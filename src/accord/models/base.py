"""The contract every model follows: declared parameters, declared capabilities, one run path.

A model is a frozen dataclass whose fields are its parameters, each declared with :func:`param`
(default, one-line doc, range or choices; the type comes from the annotation) and checked when
the model is made. Its capabilities are class attributes (tags) that callers read instead of
probing: :attr:`Model.dynamic`, :attr:`Model.uses_rng`, :attr:`Model.detail_levels`,
:attr:`Model.min_issues`, and the invariants it claims (:attr:`Model.invariants`, checked by
:mod:`accord.models.checks`).

:meth:`Model.run` is the one entry: it checks the arrays
(:func:`accord.scenario.arrays.check_arrays`), turns the seed into a generator
(:func:`accord.rng.as_generator`) and calls the subclass's ``_run``. Arrays may carry leading
batch axes (Monte Carlo draws); models keep them.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from accord.errors import AccordError
from accord.rng import SeedLike, as_generator
from accord.scenario.arrays import ScenarioArrays, check_arrays

_META = "accord.param"

#: every invariant :mod:`accord.models.checks` knows (see there for what each one states)
INVARIANTS = frozenset({
    "shapes", "bounds", "relabel", "capability_scale", "scale_equivariance", "stakeless",
    "batch", "determinism", "unanimity", "sole_weight",
})


# ----------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class _Declared:
    doc: str
    low: float | None
    high: float | None
    choices: tuple[str, ...] | None


def param(
    default: Any,
    doc: str,
    *,
    low: float | None = None,
    high: float | None = None,
    choices: Sequence[str] | None = None,
) -> Any:
    """Declare a model parameter: a dataclass field whose metadata holds its doc and limits.

    Parameters
    ----------
    default : Any
        The value when none is given (must be immutable: a number, text, a tuple or None).
    doc : str
        One line saying what the parameter does.
    low, high : float or None
        Inclusive limits of a number.
    choices : Sequence[str] or None
        The allowed texts (matched without regard to case, kept in the spelling given here).

    Returns
    -------
    dataclasses.Field
        To be assigned in the model's class body, e.g. ``rounds: int = param(10, "...", low=0)``.
    """
    declared = _Declared(doc, low, high, tuple(choices) if choices is not None else None)
    return field(default=default, metadata={_META: declared})


def range_words(low: float | None, high: float | None) -> str:
    """Say a number's limits in words.

    Parameters
    ----------
    low, high : float or None
        The inclusive limits (None: none on that side).

    Returns
    -------
    str
        ``"0 to 1"``, ``"0 or more"``, ``"up to 1"``, or empty without limits.
    """
    if low is not None and high is not None:
        return f"{low:g} to {high:g}"
    if low is not None:
        return f"{low:g} or more"
    return f"up to {high:g}" if high is not None else ""


@dataclass(frozen=True)
class Param:
    """A declared parameter: name, type, default, doc and limits (read with ``Model.parameters()``).

    ``type`` is one of ``int``, ``float``, ``bool``, ``str`` or ``tuple`` (a matrix: rows of
    numbers); ``nullable`` says that ``None`` is allowed as well.
    """

    name: str
    type: type
    default: Any
    doc: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    nullable: bool = False

    def expected(self) -> str:
        """Describe a valid value in words (used in error messages).

        Returns
        -------
        str
            E.g. ``"a finite number in [0, 1] or null"``.
        """
        if self.choices is not None:
            text = "one of " + ", ".join(self.choices)
        else:
            text = {int: "a whole number", float: "a finite number", bool: "true or false",
                    str: "text", tuple: "a matrix (rows of numbers)"}[self.type]
            if self.low is not None and self.high is not None:
                text += f" in [{self.low:g}, {self.high:g}]"
            elif self.low is not None:
                text += f" >= {self.low:g}"
            elif self.high is not None:
                text += f" <= {self.high:g}"
        return text + (" or null" if self.nullable else "")

    def check(self, model: str, value: Any) -> Any:
        """Check ``value`` and return it in its canonical form (e.g. ``2`` -> ``2.0`` for a float).

        Parameters
        ----------
        model : str
            The model's name (for the error message).
        value : Any
            The value given for this parameter.

        Returns
        -------
        Any
            The value as the parameter's type (None when it is nullable and None was given;
            a choice in its declared spelling).

        Raises
        ------
        AccordError
            Naming the model, the parameter, the value and what was expected.
        """
        if value is None and self.nullable:
            return None
        canonical = _coerce(self.type, value)
        if canonical is _INVALID:
            raise self._error(model, value)
        if self.choices is not None:
            match = {c.lower(): c for c in self.choices}.get(canonical.lower())
            if match is None:
                hint = difflib.get_close_matches(canonical, self.choices, n=1)
                raise self._error(model, value, f"; did you mean {hint[0]!r}?" if hint else "")
            return match
        number = isinstance(canonical, int | float) and not isinstance(canonical, bool)
        too_low = number and self.low is not None and canonical < self.low
        too_high = number and self.high is not None and canonical > self.high
        if too_low or too_high:
            raise self._error(model, value)
        return canonical

    def _error(self, model: str, value: Any, hint: str = "") -> AccordError:
        return AccordError(f"{model}: {self.name} must be {self.expected()} (got {value!r}){hint}")

    def as_dict(self) -> dict[str, Any]:
        """Return the parameter in JSON-ready form (for catalogs of models).

        Returns
        -------
        dict[str, Any]
            Name, type name, default, doc, limits, choices and whether None is allowed.
        """
        return {"name": self.name, "type": self.type.__name__, "default": self.default, "doc": self.doc,
                "low": self.low, "high": self.high,
                "choices": list(self.choices) if self.choices is not None else None,
                "nullable": self.nullable}


_INVALID = object()


def _coerce(kind: type, value: Any) -> Any:
    """``value`` as a ``kind`` (numpy scalars to Python, ints to floats), or :data:`_INVALID`."""
    if isinstance(value, bool | np.bool_):
        return bool(value) if kind is bool else _INVALID
    if kind is bool:
        return _INVALID
    if kind is int:
        return int(value) if isinstance(value, int | np.integer) else _INVALID
    if kind is float:
        if isinstance(value, int | float | np.integer | np.floating) and math.isfinite(value):
            return float(value)
        return _INVALID
    if kind is str:
        return value if isinstance(value, str) else _INVALID
    if kind is tuple:
        try:
            rows = tuple(tuple(float(x) for x in row) for row in value)
        except (TypeError, ValueError):
            return _INVALID
        if any(not all(map(math.isfinite, row)) for row in rows) or any(
            isinstance(x, bool | str) for row in value for x in row
        ):
            return _INVALID
        return rows
    raise TypeError(f"unsupported parameter type {kind}")


def _declared_type(annotation: Any) -> tuple[type, bool]:
    """``(type, nullable)`` from an annotation such as ``int``, ``float | None`` or a tuple type."""
    args = typing.get_args(annotation)
    nullable = False
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        nullable = type(None) in args
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1:
            raise TypeError(f"a parameter has one type (optionally | None), not {annotation}")
        annotation = rest[0]
    origin = typing.get_origin(annotation) or annotation
    if origin not in (int, float, bool, str, tuple):
        raise TypeError(f"a parameter is an int, float, bool, str or tuple, not {annotation}")
    return origin, nullable


_PARAMETERS: dict[type, dict[str, Param]] = {}


# ----------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Details:
    """Base of the typed, model-specific results a trajectory carries (``Trajectory.details``).

    Each model family subclasses it with a frozen dataclass of arrays (risk exponents, executed
    exchanges, bargains, quantiles, ...); :mod:`accord.report.model_details` renders them.
    """


@dataclass(frozen=True)
class Trajectory:
    """What a model returns. Round 0 is the input; static models have one round.

    Parameters
    ----------
    positions : np.ndarray
        Every actor's position after each round, shape (R, ..., A, I).
    outcome : np.ndarray
        The forecast after each round, shape (R, ..., I).
    details : Details or None
        The model's own results (a :class:`Details` subclass), or None.
    """

    positions: np.ndarray
    outcome: np.ndarray
    details: Details | None = None

    @property
    def n_rounds(self) -> int:
        """The number of rounds, round 0 (the input) included."""
        return self.outcome.shape[0]

    @property
    def final(self) -> np.ndarray:
        """The forecast: the outcome of the last round, ``[..., I]``."""
        return self.outcome[-1]


# ----------------------------------------------------------------------------- models
def _declared_fields(cls: type) -> dict[str, tuple[str, Any, _Declared]]:
    """Return the parameters ``cls`` declares or inherits.

    Read while the class is being made (before ``@dataclass`` turns its body into fields), as
    ``{name: (annotation, default, declared)}``.
    """
    out: dict[str, tuple[str, Any, _Declared]] = {}
    for base in reversed(cls.__mro__[1:]):
        if dataclasses.is_dataclass(base):
            for f in dataclasses.fields(base):
                if _META in f.metadata:
                    out[f.name] = (str(f.type), f.default, f.metadata[_META])
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        value = cls.__dict__.get(name)
        if isinstance(value, dataclasses.Field) and _META in value.metadata:
            out[name] = (str(annotation), value.default, value.metadata[_META])
    return out


def with_parameters_section(cls: type) -> str | None:
    """Return the class docstring with a numpydoc ``Parameters`` section added.

    The section is written from the declared parameters (their one-line docs, limits and
    defaults), so that the declarations stay the one place a parameter is described. It goes
    before a ``References`` section, if any, else at the end. A docstring that has the section
    already is left as it is. ``cls`` is the model class, read while it is still being made
    (numpydoc's validator skips a first argument called ``cls``, so it is not listed under
    Parameters).

    Returns
    -------
    str or None
        The docstring; unchanged when the class has no docstring or no declared parameters.
    """
    doc = cls.__doc__
    fields = _declared_fields(cls)
    if not doc or not fields or "\n    Parameters\n    ----------" in doc:
        return doc
    lines = ["", "    Parameters", "    ----------"]
    for name, (annotation, default, declared) in fields.items():
        if declared.choices is not None:
            kind = "{" + ", ".join(repr(c) for c in declared.choices) + "}"
        else:
            kind = annotation
        lines.append(f"    {name} : {kind}, default {default!r}")
        limits = range_words(declared.low, declared.high)
        text = declared.doc[:1].upper() + declared.doc[1:] + (f" ({limits})" if limits else "")
        lines.append(f"        {text.rstrip('.')}.")
    head, sep, tail = doc.rstrip().partition("\n\n    References\n    ----------")
    section = "\n".join(lines)
    return (head + "\n" + section + (sep + tail if sep else "") + "\n    ").lstrip("\n") if head else doc


@dataclass(frozen=True)
class Model:
    """Base class of every model: declared parameters and tags, and the one ``run`` path.

    Subclasses set ``name`` and ``summary``, declare their parameters with :func:`param`, set
    the tags that apply, and implement ``_run(arrays, rng) -> Trajectory`` (never ``run``).
    Cross-parameter rules go in ``_check_params``.

    Attributes
    ----------
    dynamic
        Positions change over several rounds (else one round: the input and its forecast).
    uses_rng
        The model may draw on its random generator (so seeds matter).
    detail_levels
        The values of its ``details`` parameter, most detailed first (empty: none).
    min_issues
        The fewest issues it can run on.
    invariants
        The properties it claims (:data:`INVARIANTS`; checked by :mod:`accord.models.checks`).
    tolerances
        Per invariant, the share of an issue's span within which it holds (default 1e-9).
    """

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    dynamic: ClassVar[bool] = False
    uses_rng: ClassVar[bool] = False
    detail_levels: ClassVar[tuple[str, ...]] = ()
    min_issues: ClassVar[int] = 1
    invariants: ClassVar[frozenset[str]] = INVARIANTS - {"sole_weight"}
    tolerances: ClassVar[Mapping[str, float]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "run" in cls.__dict__:
            raise TypeError(f"{cls.__name__} overrides Model.run; implement _run(arrays, rng) instead "
                            "(run checks the arrays and the seed first)")
        unknown = set(cls.invariants) - INVARIANTS
        if unknown:
            raise TypeError(f"{cls.__name__}: unknown invariants {sorted(unknown)}; "
                            f"known: {sorted(INVARIANTS)}")
        cls.__doc__ = with_parameters_section(cls)

    def __post_init__(self) -> None:
        for p in self.parameters().values():
            value = getattr(self, p.name)
            canonical = p.check(self.name, value)
            if canonical is not value:
                object.__setattr__(self, p.name, canonical)
        self._check_params()

    def _check_params(self) -> None:
        """Rules that involve several parameters (override; raise :class:`AccordError`)."""

    @classmethod
    def parameters(cls) -> dict[str, Param]:
        """Return the declared parameters, by name, in declaration order.

        Returns
        -------
        dict[str, Param]
            The parameters, read from the class's fields once and then kept.

        Raises
        ------
        TypeError
            When a field of the class is not declared with :func:`param`.
        """
        if cls not in _PARAMETERS:
            hints = typing.get_type_hints(cls)
            out = {}
            for f in dataclasses.fields(cls):
                declared = f.metadata.get(_META)
                if declared is None:
                    raise TypeError(f"{cls.__name__}.{f.name}: declare model parameters with param(...)")
                kind, nullable = _declared_type(hints[f.name])
                out[f.name] = Param(f.name, kind, f.default, declared.doc, declared.low, declared.high,
                                    declared.choices, nullable)
            _PARAMETERS[cls] = out
        return _PARAMETERS[cls]

    @classmethod
    def check_names(cls, names: typing.Iterable[str]) -> None:
        """Fail on a name that is none of the model's parameters.

        Parameters
        ----------
        names : Iterable[str]
            The parameter names to check.

        Raises
        ------
        AccordError
            Naming the model, the name, a close match and the known names.
        """
        known = cls.parameters()
        for key in names:
            if key not in known:
                hint = difflib.get_close_matches(key, list(known), n=1)
                did = f"; did you mean {hint[0]!r}?" if hint else ""
                listed = ", ".join(known) if known else "none"
                raise AccordError(f"{cls.name}: no parameter {key!r}{did} (its parameters: {listed})")

    @classmethod
    def own_params(cls, params: Mapping[str, Any]) -> dict[str, Any]:
        """Return the entries of ``params`` that name parameters of this model.

        For a set of parameters meant for several models at once, each taking those it has.

        Parameters
        ----------
        params : Mapping[str, Any]
            Parameter values by name, for this model and maybe others.

        Returns
        -------
        dict[str, Any]
            The entries whose names this model declares.
        """
        known = cls.parameters()
        return {k: v for k, v in params.items() if k in known}

    def params(self) -> dict[str, Any]:
        """Return the parameter values of this instance, by name.

        Returns
        -------
        dict[str, Any]
            The values in declaration order.
        """
        return {name: getattr(self, name) for name in self.parameters()}

    def with_params(self, **params: Any) -> Model:
        """Return a copy with the given parameters (checked like a new model).

        Parameters
        ----------
        **params : Any
            New values by parameter name.

        Returns
        -------
        Model
            A new instance of the same class.

        Raises
        ------
        AccordError
            For a name the model does not have, or a value it does not accept.
        """
        self.check_names(params)
        return dataclasses.replace(self, **params)

    @typing.final
    def run(self, arrays: ScenarioArrays, rng: SeedLike = None) -> Trajectory:
        """Forecast from ``arrays`` (leading batch axes allowed).

        Parameters
        ----------
        arrays : ScenarioArrays
            The scenario's arrays; checked first (:func:`accord.scenario.arrays.check_arrays`).
        rng : SeedLike
            A seed (int or ``SeedSequence``), a generator, or None for the default seed 0.

        Returns
        -------
        Trajectory
            Positions and outcome per round, with the model's details.

        Raises
        ------
        AccordError
            For arrays no model can run on, or a scenario this model cannot take.
        """
        check_arrays(arrays)
        return self._run(arrays, as_generator(rng))

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Trajectory:
        raise NotImplementedError(f"{type(self).__name__} does not implement _run")


def static_trajectory(
    arrays: ScenarioArrays, outcome: np.ndarray, details: Details | None = None
) -> Trajectory:
    """Return the one-round trajectory of a model that does not move positions.

    Parameters
    ----------
    arrays : ScenarioArrays
        The arrays the model ran on (their positions are round 0).
    outcome : np.ndarray
        The forecast, shape (..., I).
    details : Details or None
        The model's details, if any.

    Returns
    -------
    Trajectory
        Round 0 (the input positions) and its outcome, each with a leading round axis of 1.
    """
    return Trajectory(positions=arrays.position[None], outcome=outcome[None], details=details)
