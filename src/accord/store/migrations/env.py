"""Alembic's environment: runs the migrations on the connection the store hands over (online
mode only; the store never writes SQL scripts)."""

from __future__ import annotations

from alembic import context

from accord.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # the alembic command line (making a new revision): its own engine
    from sqlalchemy import create_engine

    connection = create_engine(context.config.get_main_option("sqlalchemy.url") or "sqlite://").connect()

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
