"""The result of a forecast run: plain, typed data that renders and round-trips through JSON.

Everything the tables, charts, CSV, the web page and the run history show is held here, and
nothing else: a run reopened from its JSON (:meth:`ForecastResult.from_dict`) renders exactly
as it did when it ran. The JSON shape is the one accord has always written (see
:meth:`ForecastResult.to_dict`); ``kind`` and ``spec`` were added in wave 2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.settlement import Settlement
from accord.experiments.forecast import Forecast
from accord.experiments.uncertainty import summarise
from accord.jsonsafe import clean, number
from accord.runs.spec import ForecastSpec
from accord.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

    from accord.analysis.diagnostics import Diagnostic

#: the statistics kept of each model's outcomes over the draws, per issue
DRAW_STATS = ("mean", "median", "q05", "q25", "q75", "q95", "missing")


@dataclass(frozen=True)
class ModelOutcome:
    """One model's forecast, round by round, and with draws the spread of its final outcome.

    Attributes
    ----------
    name : str
        Model name.
    params : dict
        The parameters it ran with.
    rounds : np.ndarray or None
        Outcome per round, shape (R, I), round 0 being the input; None when skipped.
    positions : np.ndarray or None
        Stakeholders' positions per round, shape (R, A, I), NaN where an actor has no stake.
    details : dict
        The model's own details (JSON form).
    skipped : str or None
        Why the model did not run.
    draws : dict of str to np.ndarray or None
        With draws, the statistics of its final outcome over them (:data:`DRAW_STATS`, each
        of shape (I,)).
    draws_skipped : str or None
        Why the model did not run on the draws.
    diagnostics : list of Diagnostic
        Warnings about the run (cycles, unsettled ends, draws split into camps...).
    detail_lines : list of str
        The details as readable lines (``--details``).
    """

    name: str
    params: dict[str, Any]
    rounds: np.ndarray | None  # [R, I]
    positions: np.ndarray | None  # [R, A, I]
    details: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None
    draws: dict[str, np.ndarray] | None = None
    draws_skipped: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    detail_lines: list[str] = field(default_factory=list)  # details as readable lines (``--details``)

    @property
    def ran(self) -> bool:
        """Whether the model ran (it has rounds)."""
        return self.rounds is not None

    @property
    def outcome(self) -> np.ndarray:
        """The forecast at the coded inputs: the last round's outcome ``[I]``."""
        if self.rounds is None:
            raise ValueError(f"{self.name} did not run: {self.skipped}")
        return self.rounds[-1]

    @property
    def n_rounds(self) -> int:
        """Number of rounds R (0 when the model did not run)."""
        return 0 if self.rounds is None else self.rounds.shape[0]

    @property
    def summary(self) -> str:
        """The model's one-line description (from the registry)."""
        from accord.models import model_class

        try:
            return model_class(self.name).summary
        except Exception:  # noqa: BLE001  (a run of a model this version no longer has)
            return ""


@dataclass(frozen=True)
class EventResult:
    """An event's probability per model over the draws, with its Monte Carlo standard error.

    Attributes
    ----------
    expr : str
        The event.
    models : dict of str to (float, float)
        Per model, ``(p, se)``.
    """

    expr: str
    models: dict[str, tuple[float, float]]  # {model: (p, se)}


@dataclass(frozen=True)
class ForecastResult:
    """What ``accord forecast`` answers: every model's forecast, and with draws their spread.

    Attributes
    ----------
    spec : ForecastSpec
        The request.
    scenario : Scenario
        The scenario.
    models : dict of str to ModelOutcome
        Per model, its forecast (or why it was skipped).
    seed : int
        The seed used.
    n_draws : int
        Monte Carlo draws (0: none).
    events : list of EventResult
        The events' probabilities.
    kind : str
        ``forecast``.
    settlement : Settlement or None
        Settlement or stalemate: the headline.
    """

    spec: ForecastSpec
    scenario: Scenario
    models: dict[str, ModelOutcome]
    seed: int
    n_draws: int = 0
    events: list[EventResult] = field(default_factory=list)
    kind: str = "forecast"
    settlement: Settlement | None = None  # settlement or stalemate: the headline

    # --- views -----------------------------------------------------------------------------
    @property
    def completed(self) -> dict[str, ModelOutcome]:
        """The models that ran, by name."""
        return {n: m for n, m in self.models.items() if m.ran}

    def outcomes(self) -> pd.DataFrame:
        """Return the forecast per issue (rows) and model (columns).

        Returns
        -------
        pd.DataFrame
            Final outcomes, indexed by issue id, one column per model that ran.
        """
        import pandas as pd

        data = {n: m.outcome for n, m in self.completed.items()}
        return pd.DataFrame(data, index=pd.Index(self.scenario.issue_ids, name="issue"))

    def trajectory(self, model: str) -> pd.DataFrame:
        """Return one model's positions per round, actor and issue, in long form.

        Parameters
        ----------
        model : str
            Model name.

        Returns
        -------
        pd.DataFrame
            Columns ``round``, ``actor``, ``issue``, ``position``; stakeholders only.

        Raises
        ------
        KeyError
            When the model did not run.
        """
        import pandas as pd

        m = self.models[model]
        if m.positions is None:
            raise KeyError(f"{model} did not run: {m.skipped}")
        rounds, actors, issues = np.nonzero(~np.isnan(m.positions))
        return pd.DataFrame({
            "round": rounds,
            "actor": np.array(self.scenario.actor_ids)[actors],
            "issue": np.array(self.scenario.issue_ids)[issues],
            "position": m.positions[rounds, actors, issues],
        })

    def draws_summary(self, model: str) -> pd.DataFrame:
        """Return one model's statistics over the draws per issue.

        Parameters
        ----------
        model : str
            Model name.

        Returns
        -------
        pd.DataFrame
            Rows: issues; columns: the statistics over the draws (mean, median, quantiles,
            missing).

        Raises
        ------
        KeyError
            When the model has no draws.
        """
        import pandas as pd

        stats = self.models[model].draws
        if stats is None:
            raise KeyError(f"{model} has no draws")
        return pd.DataFrame(stats, index=pd.Index(self.scenario.issue_ids, name="issue"))

    # --- building and storing ------------------------------------------------------------------
    @classmethod
    def from_forecast(cls, spec: ForecastSpec, fc: Forecast,
                      settlement: Settlement | None = None) -> ForecastResult:
        """Collect a finished forecast into a result.

        Parameters
        ----------
        spec : ForecastSpec
            The request.
        fc : Forecast
            The finished :class:`~accord.experiments.forecast.Forecast`.
        settlement : Settlement or None, optional
            The settlement analysis made on its draws.

        Returns
        -------
        ForecastResult
            The result, with each model's diagnostics and details.
        """
        s = fc.scenario
        stake = fc.arrays.stake
        ens = fc.ensemble
        models: dict[str, ModelOutcome] = {}
        # the diagnostics' and the details' modules load only where a run has some (a static model at
        # the coded values has neither): a quick forecast reads ~50 kB of modules less
        for name, run in fc.runs.items():
            params = clean(run.model.params())
            if run.trajectory is None:
                models[name] = ModelOutcome(name, params, None, None, skipped=run.skipped)
                continue
            traj = run.trajectory
            positions = np.where(stake, traj.positions, np.nan)
            draws = draws_skipped = None
            a = fc.arrays
            found: list[Diagnostic] = []
            if traj.n_rounds > 1:
                from accord.analysis.diagnostics import trajectory_diagnostics

                found = trajectory_diagnostics(traj.outcome, positions, a.salience, a.lower, a.upper,
                                               s.actor_ids, s.issue_ids)
            if ens is not None:
                if name in ens.finals:
                    from accord.analysis.diagnostics import draw_diagnostics

                    draws = {k: np.asarray(v, dtype=float) for k, v in summarise(ens.finals[name]).items()}
                    found += draw_diagnostics(ens.finals[name], a.lower, a.upper, s.issue_ids)
                else:
                    draws_skipped = ens.skipped.get(name, "not run on the draws")
            details: dict[str, Any] = {}
            lines: list[str] = []
            if traj.details is not None:  # details_to_dict(None) is {}, details_lines(None) []
                from accord.report.model_details import details_lines, details_to_dict

                details = details_to_dict(traj.details, s.actor_ids, s.issue_ids)
                lines = details_lines(traj.details, s.actor_ids, s.issue_ids)
            models[name] = ModelOutcome(name, params, np.asarray(traj.outcome, dtype=float), positions,
                                        clean(details), None, draws, draws_skipped, found, lines)
        events = [EventResult(expr, dict(per_model)) for expr, per_model in fc.events.items()]
        return cls(spec, s, models, int(fc.seed if fc.seed is not None else spec.seed),
                   ens.n_draws if ens is not None else 0, events, settlement=settlement)

    def to_dict(self) -> dict[str, Any]:
        """Return the forecast's JSON (strict: NaN and infinities as null).

        Its shape::

            {"kind": "forecast", "spec": {...}, "scenario": {"id", "title", "as_of"}, "seed": S,
             "models": {MODEL: {"params": {...}, "rounds": R, "details": {...}, "diagnostics": [...],
                                "detail_lines": [...],
                                "issues": {ISSUE: {"outcome": x, "summary": {...}?,
                                                   "rounds": [{"outcome": x, "positions": {ACTOR: x},
                                                               ...per-round details}]}}}
                        | {"skipped": reason}},
             "draws": B?, "events": [{"expr", "models": {MODEL: {"p", "se"}}}]?,
             "settlement": {...}?}

        ``rounds`` has one entry for static models and one per round for dynamic ones (round 0 is
        the input); ``diagnostics`` lists warnings (cycles, unsettled ends, capitulations,
        draws split into camps: :mod:`accord.analysis.diagnostics`), each ``{"kind", "message",
        "issue", "actor", "data"}``; ``summary`` (mean, median, q05, q25, q75, q95, missing over
        the draws) is there when the run had draws. Per-round, per-issue details of a model (its
        ``details["rounds"]``) are merged into the round entries. ``settlement`` is the
        settlement-or-stalemate analysis (:class:`accord.analysis.settlement.Settlement`):
        ``p_zone`` (P(a zone of agreement exists) over the draws), ``zone_at_coded_values``,
        ``consent_of``, ``package`` (per issue ``{median, q05, q95}`` over the draws with a zone)
        and ``package_at_coded_values``, ``package_p_accepted``, ``blockers`` (``[{actor, share,
        p, compensation: {median, q05, q95}}]``, most frequent first; ``share`` of the draws
        without a zone, ``p`` of all), ``several``, ``total_compensation``, ``anchor``,
        ``open_issues``, ``rules``, ``exact_draws``, ``definition``, ``notes``.

        Returns
        -------
        dict
            The JSON form.
        """
        s = self.scenario
        models: dict[str, Any] = {}
        for name, m in self.models.items():
            if not m.ran:
                models[name] = {"skipped": m.skipped}
                continue
            assert m.rounds is not None and m.positions is not None
            details = dict(m.details)
            per_round = details.pop("rounds", None)
            issues: dict[str, Any] = {}
            for k, issue_id in enumerate(s.issue_ids):
                rounds = []
                for r in range(m.n_rounds):
                    entry: dict[str, Any] = {
                        "outcome": m.rounds[r, k],
                        "positions": {a: m.positions[r, n, k] for n, a in enumerate(s.actor_ids)
                                      if not np.isnan(m.positions[r, n, k])},
                    }
                    if per_round is not None and r < len(per_round) and issue_id in per_round[r]:
                        entry.update(per_round[r][issue_id])
                    rounds.append(entry)
                issues[issue_id] = {"outcome": m.rounds[-1, k], "rounds": rounds}
                if m.draws is not None:
                    issues[issue_id]["summary"] = {key: v[k] for key, v in m.draws.items()}
            models[name] = {"params": m.params, "rounds": m.n_rounds, "issues": issues, "details": details,
                            "diagnostics": [d.to_dict() for d in m.diagnostics],
                            "detail_lines": m.detail_lines}
            if m.draws_skipped:
                models[name]["draws_skipped"] = m.draws_skipped
        out: dict[str, Any] = {
            "kind": self.kind,
            "spec": self.spec.model_dump(mode="json"),
            "scenario": {"id": s.id, "title": s.title, "as_of": s.as_of.isoformat() if s.as_of else None},
            "seed": self.seed,
            "models": models,
        }
        if self.n_draws:
            out["draws"] = self.n_draws
            out["events"] = [{"expr": e.expr,
                              "models": {n: {"p": p, "se": se} for n, (p, se) in e.models.items()}}
                             for e in self.events]
        if self.settlement is not None:
            out["settlement"] = self.settlement.to_dict()
        return clean(out)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], scenario: Scenario) -> ForecastResult:
        """Read a result back from :meth:`to_dict`'s JSON (also a run stored before wave 2).

        Parameters
        ----------
        data : Mapping
            The JSON form; a run stored before wave 2 has no spec, and one is made from its
            models, seed and draws.
        scenario : Scenario
            The scenario it ran on.

        Returns
        -------
        ForecastResult
            The result; it renders as it did when it ran.
        """
        from accord.analysis.diagnostics import Diagnostic

        spec = ForecastSpec.model_validate(data["spec"]) if data.get("spec") else _old_spec(data)
        actors = {a: n for n, a in enumerate(scenario.actor_ids)}
        issue_ids = scenario.issue_ids
        models: dict[str, ModelOutcome] = {}
        for name, entry in (data.get("models") or {}).items():
            if "issues" not in entry:
                models[name] = ModelOutcome(name, {}, None, None, skipped=entry.get("skipped") or "not run")
                continue
            n_rounds = int(entry.get("rounds") or 1)
            rounds = np.full((n_rounds, len(issue_ids)), np.nan)
            positions = np.full((n_rounds, len(actors), len(issue_ids)), np.nan)
            draws: dict[str, np.ndarray] | None = None
            per_round: list[dict[str, Any]] = [{} for _ in range(n_rounds)]
            for k, issue_id in enumerate(issue_ids):
                stored = entry["issues"][issue_id]
                for r, rnd in enumerate(stored.get("rounds") or []):
                    rounds[r, k] = number(rnd.get("outcome"))
                    for actor, value in (rnd.get("positions") or {}).items():
                        positions[r, actors[actor], k] = number(value)
                    extra = {key: v for key, v in rnd.items() if key not in ("outcome", "positions")}
                    if extra:
                        per_round[r][issue_id] = extra
                rounds[-1, k] = number(stored.get("outcome"))
                if "summary" in stored:
                    if draws is None:
                        draws = {key: np.full(len(issue_ids), np.nan) for key in stored["summary"]}
                    for key, value in stored["summary"].items():
                        draws.setdefault(key, np.full(len(issue_ids), np.nan))[k] = number(value)
            details = dict(entry.get("details") or {})
            if any(per_round):
                details["rounds"] = per_round
            found = [Diagnostic.from_dict(d) for d in entry.get("diagnostics") or []]
            models[name] = ModelOutcome(name, dict(entry.get("params") or {}), rounds, positions, details,
                                        None, draws, entry.get("draws_skipped"), found,
                                        list(entry.get("detail_lines") or []))
        events = [EventResult(e["expr"], {m: (number(v.get("p")), number(v.get("se")))
                                          for m, v in e["models"].items()})
                  for e in data.get("events") or []]
        settlement = Settlement.from_dict(dict(data["settlement"])) if data.get("settlement") else None
        return cls(spec, scenario, models, int(data.get("seed") or 0), int(data.get("draws") or 0), events,
                   settlement=settlement)


def _old_spec(data: Mapping[str, Any]) -> ForecastSpec:
    """Make a spec for a forecast stored before specs were recorded (its models, seed and draws)."""
    return ForecastSpec(models=list(data.get("models") or {}), seed=int(data.get("seed") or 0),
                        draws=int(data.get("draws") or 0),
                        events=[e["expr"] for e in data.get("events") or []])
