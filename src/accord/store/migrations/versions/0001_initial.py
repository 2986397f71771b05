"""The first schema: scenario versions and runs (as accord 0.1 created them without migrations).

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scenario_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("source_name", sa.String(length=300), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["scenario_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scenario_id", "version", name="uq_scenario_version"),
    )
    op.create_index("ix_scenario_versions_scenario_id", "scenario_versions", ["scenario_id"])
    op.create_index("ix_scenario_versions_digest", "scenario_versions", ["digest"])
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_version_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=True),
        sa.Column("draws", sa.Integer(), nullable=True),
        sa.Column("accord_version", sa.String(length=40), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["scenario_version_id"], ["scenario_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_runs_scenario_version_id", "runs", ["scenario_version_id"])


def downgrade() -> None:
    op.drop_index("ix_runs_scenario_version_id", table_name="runs")
    op.drop_table("runs")
    op.drop_index("ix_scenario_versions_digest", table_name="scenario_versions")
    op.drop_index("ix_scenario_versions_scenario_id", table_name="scenario_versions")
    op.drop_table("scenario_versions")
