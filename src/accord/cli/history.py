"""``--save``/``--db``/``--label``: recording a command's run in the history (:mod:`accord.store`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.common import err_console
from accord.errors import AccordError

if TYPE_CHECKING:
    from accord.store import RunInfo, Store

DbOpt = Annotated[
    str | None,
    typer.Option("--db", metavar="URL", help="Run-history database (SQLAlchemy URL, e.g. "
                 "sqlite:///runs.sqlite); default: ACCORD_DB, else SQLite in the user data folder."),
]
SaveOpt = Annotated[
    bool, typer.Option("--save", help="Record the scenario version and this run in the run history "
                       "(see `accord runs`); the run id goes to stderr.")
]


def open_store(db: str | None, must_exist: bool = False) -> Store:
    """Open the store at ``db`` (default: ``ACCORD_DB`` or the user data folder), errors readable.

    ``must_exist``: a SQLite file that is not there is an error (reading commands), not a new file.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from accord.store import Store, default_url

    url = db or default_url()
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise AccordError(f"--db {url!r}: not a database URL; expected e.g. sqlite:///runs.sqlite") from None
    database = parsed.database
    if must_exist and parsed.get_backend_name() == "sqlite" and database and database != ":memory:":
        path = Path(database).expanduser()
        if not path.exists():
            raise AccordError(f"no run history at {path} (runs are recorded by `accord forecast --save`)")
    return Store(url)


def get_run(store: Store, run_id: int) -> RunInfo:
    """Return the saved run ``run_id`` (with its results); an unknown id is one readable error."""
    from accord.store import NotFound

    try:
        return store.run(run_id)
    except NotFound:
        raise AccordError(
            f"no run {run_id} in {store.display_url} (`accord runs list` shows the saved runs)"
        ) from None


def store_for(save: bool, db: str | None) -> Store | None:
    """Open the store to record in before any work, so that a bad ``--db`` fails first."""
    return open_store(db) if save or db else None


def save(store: Store | None, result: Any, source: str | None) -> RunInfo | None:
    """Record ``result`` (and its scenario version) in one transaction; say the run id on stderr."""
    if store is None:
        return None
    from accord.store.results import save_result

    run = save_result(store, result, "cli", source)
    err_console.print(
        f"saved run {run.id} ({run.kind}, {run.scenario_id} v{run.version}) in {store.display_url}",
        highlight=False, markup=False, soft_wrap=True,
    )
    return run
