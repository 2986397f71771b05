"""Alembic migrations of the run-history schema (``versions/``), applied by
:func:`accord.store.migrate.upgrade` whenever a store is opened. A change to
``accord/store/tables.py`` needs a new revision here: ``alembic -c
src/accord/store/migrations/alembic.ini revision --autogenerate -m "what changed"``
(``tests/test_store_migrations.py`` fails while the tables and the migrations disagree)."""
