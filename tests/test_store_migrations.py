"""Schema migrations: a run history written by an older accord opens after an upgrade, on SQLite
and on PostgreSQL, and the migrations build exactly the tables the code declares."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("alembic")

from sqlalchemy import create_engine, inspect, text  # noqa: E402

from accord.store import Store, migrate  # noqa: E402
from accord.store.results import load_result  # noqa: E402

OLD = Path(__file__).parent / "data" / "store" / "accord-0.1.sqlite"  # see its SOURCES.md


def _revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def _check_old_history(store: Store) -> None:
    """What accord 0.1 stored reads back as it was written, and the history goes on."""
    versions = store.versions("ukraine-2025-12")
    assert [v.version for v in versions] == [1]
    runs = store.runs()
    assert [(r.id, r.kind) for r in runs] == [(3, "deal"), (2, "whatif"), (1, "forecast")]
    forecast = store.run(1)
    assert (forecast.models, forecast.seed) == (["compromise", "eum"], 3)
    result = load_result(forecast, versions[0])  # the stored JSON becomes a typed result again
    assert set(result.completed) == {"compromise", "eum"}
    whatif = store.run(2)
    assert whatif.draws == 20 and whatif.params["change"]["set"] == ["capability[us] *= 0.5"]
    assert store.run(3).label == "28-point"
    new = store.record_run(versions[0].id, "forecast", ["mean"], {}, {"models": {}})
    assert new.id == 4 and [r.id for r in store.runs(limit=2)] == [4, 3]


def test_a_sqlite_history_of_accord_0_1_opens_and_is_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    shutil.copy(OLD, db)
    url = f"sqlite:///{db}"
    assert "alembic_version" not in inspect(create_engine(url)).get_table_names()  # made without migrations
    store = Store(url)
    assert _revision(url) == migrate.head()
    _check_old_history(store)
    store.close()
    Store(url).close()  # opening again changes nothing
    assert _revision(url) == migrate.head()


def _copy_rows(source: str, target: str) -> None:
    """Every row of accord 0.1's tables, from the SQLite fixture into ``target``."""
    src, dst = create_engine(source), create_engine(target)
    with src.connect() as a, dst.begin() as b:
        for table in ("scenario_versions", "runs"):
            rows = [dict(r._mapping) for r in a.execute(text(f"SELECT * FROM {table}"))]
            columns = list(rows[0])
            b.execute(text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                           f"({', '.join(':' + c for c in columns)})"), rows)
        if dst.dialect.name == "postgresql":  # rows inserted with their ids: move the sequences on
            for table in ("scenario_versions", "runs"):
                b.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT max(id) FROM {table}))"))
    src.dispose()
    dst.dispose()


def _old_schema(url: str) -> None:
    """Accord 0.1's tables (the first revision's, as it made them: no alembic_version)."""
    from alembic import command

    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), migrate.BASELINE)
        conn.execute(text("DROP TABLE alembic_version"))
    engine.dispose()


def test_a_postgresql_history_of_accord_0_1_opens_and_is_upgraded(postgres_server) -> None:
    url = postgres_server.create_database("old_history")
    _old_schema(url)
    _copy_rows(f"sqlite:///{OLD}", url)
    store = Store(url)
    assert _revision(url) == migrate.head()
    _check_old_history(store)
    store.close()


def _schema(url: str) -> dict[str, object]:
    engine = create_engine(url)
    inspector = inspect(engine)
    out: dict[str, object] = {}
    for table in sorted(set(inspector.get_table_names()) - {"alembic_version"}):
        out[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in inspector.get_indexes(table)),
            "unique": sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)),
            "foreign": sorted((tuple(f["constrained_columns"]), f["referred_table"])
                              for f in inspector.get_foreign_keys(table)),
        }
    engine.dispose()
    return out


def test_the_first_revision_is_exactly_the_schema_accord_0_1_made(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'baseline.sqlite'}"
    _old_schema(url)
    assert _schema(url) == _schema(f"sqlite:///{OLD}")


def test_the_migrations_build_the_tables_the_code_declares(store_url: str) -> None:
    """After the migrations, the database has exactly ``accord.store.tables``: a change to the
    tables without a migration fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from accord.store.tables import Base

    Store(store_url).close()
    engine = create_engine(store_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
