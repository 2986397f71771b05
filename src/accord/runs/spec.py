"""What a user asks accord to do, as one validated request (a *run spec*).

Every front end — the command line, the web workbench, a Python script — builds one of these
specs and hands it to :func:`accord.runs.execute`; the defaults, the checks and the error
messages therefore are the same everywhere. A spec is plain data (pydantic), so it is stored
with the run it produced and a run can be repeated from its record.

Scenario: a built-in scenario's name or a file path (``None``: the built-in default); a caller
that already holds a :class:`~accord.scenario.Scenario` (the web, from its store) passes it to
``execute`` and names it here for the record.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from accord.rng import DEFAULT_SEED

#: how each kind of run is called in text meant for people (one spelling everywhere)
KIND_LABELS = {"forecast": "forecast", "whatif": "what-if", "deal": "deal", "sensitivity": "sensitivity",
               "backtest": "backtest", "sweep": "sweep", "strategy": "strategy"}

Seed = Annotated[int, Field(ge=0, description="Random seed (any size); the same seed, the same numbers.")]
#: draws the settlement headline analyses at most by default: its P(agreement) then has a standard
#: error of at most 1.1 percentage points, and it costs about 3 s on two cores
SETTLEMENT_DRAWS = 2000
Draws = Annotated[int, Field(ge=0,
                             description="Monte Carlo draws from the inputs' stated uncertainty (0: none).")]
Workers = Annotated[int | None, Field(default=None, ge=1, description="Threads for the Monte Carlo draws; "
                                      "none: every core. The numbers do not depend on it.")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=2000)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


class ModelChoice(_Spec):
    """Which models run, and with what parameters.

    ``params`` go to every chosen model that declares a parameter of that name (a name no chosen
    model declares is an error); ``model_params`` set one model's parameters and win over
    ``params``; ``rounds`` is ``params["rounds"]`` for the dynamic models. Parameters a scenario
    file carries for a model (``Scenario.model_settings``, e.g. from a KTAB XML file) apply first.
    """

    models: list[Name] = Field(default_factory=list, max_length=50,
                               description="Model names (case-insensitive); empty: every model.")
    params: dict[Name, Any] = Field(default_factory=dict, max_length=100)
    model_params: dict[Name, dict[Name, Any]] = Field(default_factory=dict, max_length=50)
    rounds: int | None = Field(default=None, ge=1, description="Rounds of the dynamic models.")


class _RunCommon(ModelChoice):
    scenario: Name | None = Field(default=None, description="A built-in scenario's name or a file "
                                  "path; none: the built-in default.")
    input_format: Name | None = None
    seed: Seed = DEFAULT_SEED
    label: Text | None = None


class ForecastSpec(_RunCommon):
    """Every chosen model's forecast, and the settlement-or-stalemate headline.

    With ``draws``, also each forecast's spread and the events' probabilities; the headline is
    judged by ``veto_rule``.
    """

    kind: Literal["forecast"] = "forecast"
    draws: Draws = 0
    workers: Workers = None
    events: list[Annotated[str, Field(max_length=500)]] = Field(default_factory=list, max_length=50)
    veto_rule: Literal["total", "issue"] = Field(
        default="total", description="How the settlement analysis judges an actor whose consent is needed: "
        "'total' refuses when it loses overall; 'issue' also when it loses on any point it ratifies.")
    settlement_draws: int = Field(
        default=SETTLEMENT_DRAWS, ge=1, le=1_000_000, description="The settlement analysis runs on the "
        "first this many draws (its linear programs cost about 3 ms of CPU a draw, more than most "
        "models); the models run on all of them.")


class Change(_Spec):
    """A what-if: named what-ifs of the scenario, files of what-ifs, and written changes.

    ``set`` holds assignments (``capability[us] *= 0.5``), ``add`` new actors (``china=40``),
    ``remove`` actor ids; they apply after the named and file what-ifs, in this order.
    """

    named: list[Name] = Field(default_factory=list, max_length=20)
    files: list[Name] = Field(default_factory=list, max_length=20)
    set: list[Annotated[str, Field(max_length=500)]] = Field(default_factory=list, max_length=100)
    add: list[Name] = Field(default_factory=list, max_length=50)
    remove: list[Name] = Field(default_factory=list, max_length=50)

    @field_validator("set", "add", "remove")
    @classmethod
    def _strip(cls, values: list[str]) -> list[str]:
        return [v.strip() for v in values if v.strip()]

    @property
    def is_empty(self) -> bool:
        """Whether the change names and writes nothing."""
        return not (self.named or self.files or self.set or self.add or self.remove)


class WhatIfSpec(_RunCommon):
    """Baseline against a changed scenario on the same random draws."""

    kind: Literal["whatif"] = "whatif"
    change: Change
    draws: Draws = 1000
    workers: Workers = None
    events: list[Annotated[str, Field(max_length=500)]] = Field(default_factory=list, max_length=50)


class StrategySpec(_RunCommon):
    """What one actor (the client) can do to move the outcome its way.

    Its levers ranked by expected gain per effort point on common draws, the expected-utility
    model's relations as it sees them, and the blocs (:mod:`accord.analysis.strategy`;
    docs/strategy.md).
    """

    kind: Literal["strategy"] = "strategy"
    actor: Name = Field(description="The client: the actor whose levers are searched.")
    draws: Draws = 200
    step: float = Field(default=10.0, gt=0, le=100, description="One lever's size in effort points "
                        "(1% of a scale, or one salience point of 100).")
    budget: float = Field(default=30.0, gt=0, description="Effort points the combined plan may spend.")
    top: int = Field(default=6, ge=1, le=50, description="Levers evaluated on every draw.")
    families: list[Literal["position", "salience", "persuasion", "transfer", "concession"]] = Field(
        default_factory=list, max_length=5, description="Lever families to search; empty: all.")
    targets: list[Name] = Field(default_factory=list, max_length=100,
                                description="Actors the client may lobby; empty: all others.")


class DealSpec(_Spec):
    """Who gains from a package, who vetoes it, what breaks it and what would repair it."""

    kind: Literal["deal"] = "deal"
    scenario: Name | None = None
    input_format: Name | None = None
    proposals: list[Name] = Field(default_factory=list, max_length=20,
                                  description="Ids of the scenario's proposals, or proposal files.")
    points: dict[Name, Annotated[float, Field(allow_inf_nan=False)]] = Field(
        default_factory=dict, max_length=100, description="ISSUE: VALUE; a package of these points, or "
        "changes to the one proposal named.")
    leave_open: list[Name] = Field(
        default_factory=list, max_length=100, description="Issues whose points the one proposal named drops "
        "(left open).")
    against: Annotated[str, Field(max_length=500)] = "no-deal"
    veto_rule: Literal["total", "issue"] = "total"
    threshold: float = Field(default=0.5, ge=0, lt=1)
    draws: Draws = 0
    seed: Seed = DEFAULT_SEED
    repair: bool | None = Field(default=None, description="Search for the smallest repair; default: "
                                "for one package yes, when comparing no.")
    hold: list[Name] = Field(default_factory=list, max_length=100)
    compare: bool = False
    label: Text | None = None


class SensitivitySpec(_Spec):
    """Which inputs drive one issue's outcome under one model (Sobol or Morris)."""

    kind: Literal["sensitivity"] = "sensitivity"
    scenario: Name | None = None
    input_format: Name | None = None
    issue: Name
    model: Name = "compromise"
    params: dict[Name, Any] = Field(default_factory=dict, max_length=100)
    method: Literal["auto", "sobol", "morris"] = "auto"
    samples: int | None = Field(default=None, ge=2)
    scope: Literal["issue", "all"] = "issue"
    spread: float = Field(default=0.1, ge=0, le=1)
    seed: Seed = DEFAULT_SEED
    label: Text | None = None


class BacktestSpec(_Spec):
    """Every model on negotiations with known outcomes, scored against them."""

    kind: Literal["backtest"] = "backtest"
    data: Name = Field(default="deu3", description="A built-in data set's name or a DEU file or folder.")
    models: list[Name] = Field(default_factory=list, max_length=50)
    by: list[Literal["wave", "procedure", "voting-rule"]] = Field(default_factory=list)
    seed: Seed = DEFAULT_SEED
    n_boot: int = Field(default=2000, ge=100)
    cross_validate: bool = True
    label: Text | None = None


class SweepSpec(_Spec):
    """Many scenarios x what-ifs x models x draws, results streamed to a CSV or Parquet file.

    ``file`` is a sweep file (YAML, see :mod:`accord.experiments.sweep`); the other fields
    override it, or say everything when there is no file.
    """

    kind: Literal["sweep"] = "sweep"
    file: Name | None = None
    scenarios: list[Name | None] = Field(default_factory=list)
    whatifs: list[Any] = Field(default_factory=list)
    models: list[Name] = Field(default_factory=list)
    params: dict[Name, Any] = Field(default_factory=dict)
    draws: int | None = Field(default=None, ge=1)
    seed: Seed | None = None
    output: Name = "sweep.csv"
    resume: bool = False
    force: bool = False
    scheduler: Name | None = None
    workers: int | None = Field(default=None, ge=1)
    chunk: int | None = Field(default=None, ge=1)
    label: Text | None = None


class BriefSpec(_RunCommon):
    """A brief for a reader: a forecast, what-ifs, deals and sensitivity, run together.

    The forecast with bands, what-ifs, deals and the sensitivity of the most disputed issues
    (:mod:`accord.runs.brief`).

    ``whatifs``: named what-ifs of the scenario or what-if files (None: every named what-if;
    empty: none); ``proposals``: the scenario's proposals to judge (None: all; empty: none);
    ``sensitivity``: how many of the issues the models disagree on most get a sensitivity
    analysis; ``runs``: ids of saved runs the caller attaches from the history.
    """

    kind: Literal["brief"] = "brief"
    draws: Draws = 200
    whatifs: list[Name] | None = Field(default=None, max_length=20)
    proposals: list[Name] | None = Field(default=None, max_length=20)
    sensitivity: int = Field(default=2, ge=0, le=10)
    sensitivity_model: Name = "compromise"
    sensitivity_samples: int = Field(default=20, ge=2, le=1000)
    runs: list[int] = Field(default_factory=list, max_length=20)


RunSpec = Annotated[ForecastSpec | WhatIfSpec | DealSpec | SensitivitySpec | BacktestSpec | SweepSpec
                    | StrategySpec, Field(discriminator="kind")]


AnySpec = ForecastSpec | WhatIfSpec | DealSpec | SensitivitySpec | BacktestSpec | SweepSpec | StrategySpec


def spec_from_dict(data: dict[str, Any]) -> AnySpec:
    """Read a spec back from its stored form (``spec.model_dump(mode="json")``).

    Parameters
    ----------
    data : dict
        The stored form; its ``kind`` says which spec it is.

    Returns
    -------
    AnySpec
        The spec.

    Raises
    ------
    pydantic.ValidationError
        When the data is not a valid spec.
    """
    from pydantic import TypeAdapter

    # typed by hand: mypy, from a warm cache, reads TypeAdapter's overloads as taking type[Never]
    adapter: TypeAdapter[AnySpec] = TypeAdapter(RunSpec)  # type: ignore[arg-type,unused-ignore]
    return adapter.validate_python(data)
