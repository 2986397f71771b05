"""The run-history store: save scenario versions and runs, list them, reopen them.

Opening a store brings its database to the newest schema (:mod:`accord.store.migrate`).

Every write is one transaction (``Session.begin()``): a run is stored with its results or not
at all, so a crash or a kill mid-write leaves the database as it was before that write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, defer, load_only, sessionmaker
from sqlalchemy.pool import StaticPool

from accord import __version__
from accord.errors import AccordError
from accord.scenario.io.writers import scenario_to_dict
from accord.scenario.schema import Scenario
from accord.store.migrate import upgrade
from accord.store.tables import RunRow, ScenarioVersionRow

ENV_VAR = "ACCORD_DB"


class NotFound(AccordError):
    """A scenario version or run id that the store does not hold."""


def default_url() -> str:
    """Return the database URL to use when none is given.

    Returns
    -------
    str
        ``ACCORD_DB`` if set, else SQLite in the user's data directory (platformdirs).
    """
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    from platformdirs import user_data_path

    return f"sqlite:///{user_data_path('accord', appauthor=False) / 'accord.sqlite'}"


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise AccordError(f"--db {url!r}: not a database URL; expected e.g. sqlite:///runs.sqlite") from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        database = parsed.database
        if not database or database == ":memory:":
            kwargs["poolclass"] = StaticPool
        else:
            folder = Path(database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise AccordError(f"cannot open the database {parsed!r}: {folder}: {exc.strerror}") from None
    try:
        engine = create_engine(parsed, **kwargs)
    except (ImportError, SQLAlchemyError) as exc:
        raise AccordError(f"cannot open the database {parsed!r}: {exc}") from None
    if parsed.get_backend_name() == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(conn: Any, _record: Any) -> None:
            cur = conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    return engine


def digest(content: dict[str, Any]) -> str:
    """Return the SHA-256 of a scenario's content, as JSON with sorted keys.

    Parameters
    ----------
    content : dict[str, Any]
        A scenario as plain JSON (``scenario_to_dict``).

    Returns
    -------
    str
        The hex digest; identical content gives the identical digest.
    """
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class VersionInfo:
    """One stored version of a scenario.

    Attributes
    ----------
    id : int
        The version's id in the store.
    scenario_id : str
        The scenario's own id.
    version : int
        The version number, 1 for the first version of ``scenario_id``.
    title : str
        The scenario's title.
    origin : str
        Where the version came from (e.g. the command line or the web).
    source_name : str or None
        The file or upload it was read from, if any.
    parent_id : int or None
        The version it was derived from, if any.
    created_at : datetime.datetime
        When it was stored (UTC).
    content : dict[str, Any]
        The scenario as plain JSON.
    """

    id: int
    scenario_id: str
    version: int
    title: str
    origin: str
    source_name: str | None
    parent_id: int | None
    created_at: dt.datetime
    content: dict[str, Any]

    def scenario(self) -> Scenario:
        """Return the stored content as a validated scenario.

        Returns
        -------
        Scenario
            The scenario of this version.
        """
        return Scenario.model_validate(self.content)

    def summary(self) -> dict[str, Any]:
        """Return the JSON-ready fields without the content.

        Returns
        -------
        dict[str, Any]
            Every field but ``content``, the time in ISO 8601.
        """
        return {
            "id": self.id,
            "scenario_id": self.scenario_id,
            "version": self.version,
            "title": self.title,
            "origin": self.origin,
            "source_name": self.source_name,
            "parent_id": self.parent_id,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class RunInfo:
    """One stored run.

    Attributes
    ----------
    id : int
        The run's id in the store.
    scenario_version_id : int
        The id of the scenario version it ran on.
    scenario_id : str
        That scenario's own id.
    version : int
        That version's number.
    kind : str
        The kind of run (forecast, whatif, deal, ...).
    models : list[str]
        The models it ran (none for a deal).
    params : dict[str, Any]
        The spec's other fields that differ from their defaults.
    seed : int or None
        The seed, if any.
    draws : int or None
        The number of Monte Carlo draws, if any.
    accord_version : str
        The version of accord that made the run.
    label : str or None
        The run's label, if any.
    created_at : datetime.datetime
        When it was stored (UTC).
    results : dict[str, Any] or None
        The result's JSON; None when the run was listed without its results.
    """

    id: int
    scenario_version_id: int
    scenario_id: str
    version: int
    kind: str
    models: list[str]
    params: dict[str, Any]
    seed: int | None
    draws: int | None
    accord_version: str
    label: str | None
    created_at: dt.datetime
    results: dict[str, Any] | None = None

    def summary(self) -> dict[str, Any]:
        """Return the JSON-ready fields without the results.

        Returns
        -------
        dict[str, Any]
            Every field but ``results``, the time in ISO 8601.
        """
        return {
            "id": self.id,
            "scenario_version_id": self.scenario_version_id,
            "scenario_id": self.scenario_id,
            "version": self.version,
            "kind": self.kind,
            "models": self.models,
            "params": self.params,
            "seed": self.seed,
            "draws": self.draws,
            "accord_version": self.accord_version,
            "label": self.label,
            "created_at": self.created_at.isoformat(),
        }


def _version_info(row: ScenarioVersionRow) -> VersionInfo:
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.UTC)
    return VersionInfo(
        row.id, row.scenario_id, row.version, row.title, row.origin, row.source_name,
        row.parent_id, created, row.content,
    )


BIG_SEED = "_seed"  # the params key of a seed too large for the 64-bit seed column


def _seed_columns(seed: int | None, params: dict[str, Any]) -> tuple[int | None, dict[str, Any]]:
    """Drawn seeds are 128-bit (``SeedSequence`` entropy): those go into the JSON params."""
    if seed is None or -(2**63) <= seed < 2**63:
        return seed, dict(params)
    return None, {**params, BIG_SEED: int(seed)}


def _run_info(row: RunRow, version: ScenarioVersionRow, with_results: bool) -> RunInfo:
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.UTC)
    params = dict(row.params)
    seed = row.seed if row.seed is not None else params.pop(BIG_SEED, None)
    params.pop(BIG_SEED, None)
    return RunInfo(
        row.id, row.scenario_version_id, version.scenario_id, version.version, row.kind,
        list(row.models), params, seed, row.draws, row.accord_version, row.label,
        created, dict(row.results) if with_results else None,
    )


def _version_row(
    session: Session, scenario: Scenario, content: dict[str, Any], origin: str, source_name: str | None,
    parent_id: int | None,
) -> ScenarioVersionRow:
    """Return the stored version with this content, or add one numbered after the last (in ``session``)."""
    key = digest(content)
    same = session.scalars(
        select(ScenarioVersionRow)
        .where(ScenarioVersionRow.scenario_id == scenario.id, ScenarioVersionRow.digest == key)
        .order_by(ScenarioVersionRow.version.desc())
    ).first()
    if same is not None:
        return same
    last = session.scalar(
        select(func.max(ScenarioVersionRow.version)).where(ScenarioVersionRow.scenario_id == scenario.id)
    )
    row = ScenarioVersionRow(
        scenario_id=scenario.id, version=(last or 0) + 1, title=scenario.title, origin=origin,
        source_name=source_name, parent_id=parent_id, digest=key, content=content, created_at=_now(),
    )
    session.add(row)
    session.flush()
    return row


def _run_row(version_id: int, kind: str, models: list[str], params: dict[str, Any],
             results: dict[str, Any], seed: int | None, draws: int | None, label: str | None) -> RunRow:
    """Return a new run row, stamped with accord's version and the time."""
    seed_column, stored = _seed_columns(seed, params)
    return RunRow(
        scenario_version_id=version_id, kind=kind, models=list(models), params=stored,
        seed=seed_column, draws=draws, accord_version=__version__, label=label, results=results,
        created_at=_now(),
    )


class Store:
    """Scenario versions and runs in a database.

    Parameters
    ----------
    url : str or None
        A SQLAlchemy database URL; default: :func:`default_url`.

    Raises
    ------
    AccordError
        If ``url`` is not a database URL, or the database cannot be opened or upgraded.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.engine = _engine(self.url)
        for attempt in range(2):  # two processes may create a new database at once
            try:
                upgrade(self.engine)  # the newest schema (accord.store.migrate)
                break
            except SQLAlchemyError as exc:
                if attempt:
                    raise AccordError(
                        f"cannot open the database {self.display_url}: {exc.__class__.__name__}: "
                        f"{str(exc).splitlines()[0][:200]}"
                    ) from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def display_url(self) -> str:
        """The URL with any password hidden."""
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # scenario versions -------------------------------------------------------------------
    def save_scenario(
        self,
        scenario: Scenario,
        origin: str,
        source_name: str | None = None,
        parent_id: int | None = None,
    ) -> VersionInfo:
        """Store ``scenario`` as the next version of its id.

        Identical content reuses its stored version.

        Parameters
        ----------
        scenario : Scenario
            The scenario to store.
        origin : str
            Where it came from (e.g. the command line or the web).
        source_name : str or None
            The file or upload it was read from.
        parent_id : int or None
            The version it was derived from.

        Returns
        -------
        VersionInfo
            The new version, or the stored one with identical content.

        Raises
        ------
        AccordError
            If the database stays busy through five attempts.
        """
        content = scenario_to_dict(scenario)
        for _attempt in range(5):  # two writers may race for the same version number
            try:
                return self._save(scenario, content, origin, source_name, parent_id)
            except IntegrityError:
                continue
        raise AccordError(f"could not store a new version of {scenario.id!r}: the database is busy")

    def _save(
        self, scenario: Scenario, content: dict[str, Any], origin: str, source_name: str | None,
        parent_id: int | None,
    ) -> VersionInfo:
        with self._sessions.begin() as session:
            return _version_info(_version_row(session, scenario, content, origin, source_name, parent_id))

    def version(self, version_id: int) -> VersionInfo:
        """Return one stored scenario version.

        Parameters
        ----------
        version_id : int
            The version's id.

        Returns
        -------
        VersionInfo
            That version.

        Raises
        ------
        NotFound
            If the store has no such version.
        """
        with self._sessions() as session:
            row = session.get(ScenarioVersionRow, version_id)
            if row is None:
                raise NotFound(f"no scenario version {version_id}")
            return _version_info(row)

    def latest(self, scenario_id: str) -> VersionInfo:
        """Return the newest version of a scenario.

        Parameters
        ----------
        scenario_id : str
            The scenario's id.

        Returns
        -------
        VersionInfo
            Its highest-numbered version.

        Raises
        ------
        NotFound
            If the store has no such scenario.
        """
        versions = self.versions(scenario_id)
        if not versions:
            raise NotFound(f"no scenario {scenario_id!r} in the store")
        return versions[-1]

    def versions(self, scenario_id: str) -> list[VersionInfo]:
        """Return every version of a scenario.

        Parameters
        ----------
        scenario_id : str
            The scenario's id.

        Returns
        -------
        list[VersionInfo]
            Its versions, oldest first; empty if there are none.
        """
        with self._sessions() as session:
            rows = session.scalars(
                select(ScenarioVersionRow)
                .where(ScenarioVersionRow.scenario_id == scenario_id)
                .order_by(ScenarioVersionRow.version)
            )
            return [_version_info(r) for r in rows]

    def scenarios(self) -> list[tuple[VersionInfo, int]]:
        """Return the latest version of every stored scenario.

        Returns
        -------
        list[tuple[VersionInfo, int]]
            Each scenario's latest version with its number of versions, by scenario id.
        """
        with self._sessions() as session:
            latest = (
                select(
                    ScenarioVersionRow.scenario_id,
                    func.max(ScenarioVersionRow.version).label("v"),
                    func.count().label("n"),
                )
                .group_by(ScenarioVersionRow.scenario_id)
                .subquery()
            )
            rows = session.execute(
                select(ScenarioVersionRow, latest.c.n)
                .join(
                    latest,
                    (ScenarioVersionRow.scenario_id == latest.c.scenario_id)
                    & (ScenarioVersionRow.version == latest.c.v),
                )
                .order_by(ScenarioVersionRow.scenario_id)
            )
            # the row types differ between SQLAlchemy 2.0 and 2.1's stubs: say what the select gives
            return [(_version_info(cast(ScenarioVersionRow, r)), int(cast(int, n))) for r, n in rows]

    # runs -----------------------------------------------------------------------------------
    def record_run(
        self,
        version_id: int,
        kind: str,
        models: list[str],
        params: dict[str, Any],
        results: dict[str, Any],
        seed: int | None = None,
        draws: int | None = None,
        label: str | None = None,
    ) -> RunInfo:
        """Store one finished run with its results, in a single transaction.

        Parameters
        ----------
        version_id : int
            The stored scenario version it ran on.
        kind : str
            The kind of run.
        models : list[str]
            The models it ran.
        params : dict[str, Any]
            The spec's fields that differ from their defaults.
        results : dict[str, Any]
            The result's JSON.
        seed : int or None
            The seed; one beyond 64 bits is kept in ``params``.
        draws : int or None
            The number of draws.
        label : str or None
            The run's label.

        Returns
        -------
        RunInfo
            The stored run, with its results.

        Raises
        ------
        NotFound
            If the store has no version ``version_id``.
        """
        with self._sessions.begin() as session:
            version = session.get(ScenarioVersionRow, version_id)
            if version is None:
                raise NotFound(f"no scenario version {version_id}")
            row = _run_row(version_id, kind, models, params, results, seed, draws, label)
            session.add(row)
            session.flush()
            return _run_info(row, version, with_results=True)

    def save_run(
        self,
        scenario: Scenario,
        origin: str,
        kind: str,
        models: list[str],
        params: dict[str, Any],
        results: dict[str, Any],
        seed: int | None = None,
        draws: int | None = None,
        label: str | None = None,
        source_name: str | None = None,
    ) -> RunInfo:
        """Store a scenario and one finished run on it in a single transaction.

        The scenario is stored as its next version, or the identical stored one is reused; both
        the version and the run are written, or neither.

        Parameters
        ----------
        scenario : Scenario
            The scenario the run used.
        origin : str
            Where the scenario came from.
        kind : str
            The kind of run.
        models : list[str]
            The models it ran.
        params : dict[str, Any]
            The spec's fields that differ from their defaults.
        results : dict[str, Any]
            The result's JSON.
        seed : int or None
            The seed; one beyond 64 bits is kept in ``params``.
        draws : int or None
            The number of draws.
        label : str or None
            The run's label.
        source_name : str or None
            The file or upload the scenario was read from.

        Returns
        -------
        RunInfo
            The stored run, with its results.

        Raises
        ------
        AccordError
            If the database stays busy through five attempts.
        """
        content = scenario_to_dict(scenario)
        for _attempt in range(5):  # two writers may race for the same version number
            try:
                with self._sessions.begin() as session:
                    version = _version_row(session, scenario, content, origin, source_name, None)
                    row = _run_row(version.id, kind, models, params, results, seed, draws, label)
                    session.add(row)
                    session.flush()
                    return _run_info(row, version, with_results=True)
            except IntegrityError:
                continue
        raise AccordError(f"could not store a new version of {scenario.id!r}: the database is busy")

    def runs(
        self, scenario_id: str | None = None, version_id: int | None = None, limit: int = 200,
        before: int | None = None,
    ) -> list[RunInfo]:
        """List runs, newest first, without their results.

        The results are never read from the database here.

        Parameters
        ----------
        scenario_id : str or None
            Only runs of this scenario.
        version_id : int or None
            Only runs of this scenario version.
        limit : int
            At most this many runs.
        before : int or None
            Only runs with a smaller id (the next page after a page whose last run had that id).

        Returns
        -------
        list[RunInfo]
            The runs, with ``results`` None.
        """
        with self._sessions() as session:
            query = (
                select(RunRow, ScenarioVersionRow)
                .join(ScenarioVersionRow, RunRow.scenario_version_id == ScenarioVersionRow.id)
                .options(defer(RunRow.results, raiseload=True),
                         load_only(ScenarioVersionRow.scenario_id, ScenarioVersionRow.version))
            )
            if scenario_id is not None:
                query = query.where(ScenarioVersionRow.scenario_id == scenario_id)
            if version_id is not None:
                query = query.where(RunRow.scenario_version_id == version_id)
            if before is not None:
                query = query.where(RunRow.id < before)
            rows = session.execute(query.order_by(RunRow.id.desc()).limit(limit))
            return [_run_info(r, v, with_results=False) for r, v in rows]

    def run(self, run_id: int) -> RunInfo:
        """Return one stored run with its results.

        Parameters
        ----------
        run_id : int
            The run's id.

        Returns
        -------
        RunInfo
            That run, with its results.

        Raises
        ------
        NotFound
            If the store has no such run.
        """
        with self._sessions() as session:
            row = session.get(RunRow, run_id)
            if row is None:
                raise NotFound(f"no run {run_id}")
            return _run_info(row, session.get(ScenarioVersionRow, row.scenario_version_id), True)  # type: ignore[arg-type]
