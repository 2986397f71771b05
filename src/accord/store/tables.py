"""The database tables (SQLAlchemy 2 declarative): scenario versions and runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """The declarative base of accord's tables (their shared metadata)."""


class ScenarioVersionRow(Base):
    """One saved state of a scenario; edits and uploads add versions, never overwrite."""

    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("scenario_id", "version", name="uq_scenario_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(20))  # builtin | upload | edit | cli
    source_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("scenario_versions.id"), nullable=True)
    digest: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class RunRow(Base):
    """One run of models on one scenario version, with everything needed to repeat it."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # forecast | whatif | deal
    models: Mapped[list[str]] = mapped_column(JSON)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    seed: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    draws: Mapped[int | None] = mapped_column(Integer, nullable=True)
    accord_version: Mapped[str] = mapped_column(String(40))
    label: Mapped[str | None] = mapped_column(Text, nullable=True)
    results: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
