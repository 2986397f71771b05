"""Run history: every scenario version and every run, in a SQL database (SQLite by default)."""

from accord.store.store import NotFound, RunInfo, Store, VersionInfo, default_url

__all__ = ["NotFound", "RunInfo", "Store", "VersionInfo", "default_url"]
