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
    """The newest revision."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    return str(ScriptDirectory.from_config(config).get_current_head())


def current(connection: Connection) -> str | None:
    """The revision the database is at (None: none recorded)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database at ``engine`` to the newest schema, in one transaction."""
    from alembic import command

    with engine.begin() as connection:
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" not in tables and tables >= TABLES:
            command.stamp(_config(connection), BASELINE)  # accord 0.1's tables, made without migrations
        if current(connection) != head():
            command.upgrade(_config(connection), "head")
