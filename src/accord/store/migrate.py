"""Schema migrations (Alembic, ``accord/store/migrations/``), applied whenever a store opens.

A new database gets every table through the migrations; a database written before migrations
existed (accord 0.1 made its tables directly) has the first revision's tables and no
``alembic_version`` table: it is marked as being at that revision, then upgraded like any other.
So a run history survives every upgrade of accord, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

FOLDER = Path(__file__).parent / "migrations"
#: the revision whose tables accord 0.1 created without migrations
BASELINE = "0001"
TABLES = {"scenario_versions", "runs"}


def _config(connection: Connection):  # -> alembic.config.Config
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """Return the newest revision.

    Returns
    -------
    str
        The head revision of the migration scripts.
    """
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    return str(ScriptDirectory.from_config(config).get_current_head())


def current(connection: Connection) -> str | None:
    """Return the revision the database is at.

    Parameters
    ----------
    connection : Connection
        An open connection to the database.

    Returns
    -------
    str or None
        The recorded revision; None when none is recorded.
    """
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema, in one transaction.

    Parameters
    ----------
    engine : Engine
        The database; tables made by accord 0.1 without migrations are first stamped as
        revision ``BASELINE``.
    """
    from alembic import command

    with engine.begin() as connection:
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" not in tables and tables >= TABLES:
            command.stamp(_config(connection), BASELINE)  # accord 0.1's tables, made without migrations
        if current(connection) != head():
            command.upgrade(_config(connection), "head")
