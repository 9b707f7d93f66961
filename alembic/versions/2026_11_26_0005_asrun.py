"""as-run logs and events

Revision ID: 0005_asrun
Revises: 0004_exports
Create Date: 2026-11-26 18:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0005_asrun"
down_revision: str | None = "0004_exports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "as_run_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channel.id"],
            name=op.f("fk_as_run_log_channel_id_channel"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["user.id"],
            name=op.f("fk_as_run_log_uploaded_by_user"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_as_run_log")),
        sa.UniqueConstraint("channel_id", "sha256", name=op.f("uq_as_run_log_channel_id")),
    )
    with op.batch_alter_table("as_run_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_as_run_log_channel_id"), ["channel_id"], unique=False)

    op.create_table(
        "as_run_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("broadcast_date", sa.Date(), nullable=False),
        sa.Column("aired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_frames", sa.Integer(), nullable=False),
        sa.Column("house_id", sa.String(length=100), nullable=False),
        sa.Column("event_uid", sa.String(length=32), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["log_id"], ["as_run_log.id"],
            name=op.f("fk_as_run_event_log_id_as_run_log"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channel.id"],
            name=op.f("fk_as_run_event_channel_id_channel"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_as_run_event")),
    )
    with op.batch_alter_table("as_run_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_as_run_event_log_id"), ["log_id"], unique=False)
        batch_op.create_index(
            "ix_as_run_event_channel_day", ["channel_id", "broadcast_date"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("as_run_event", schema=None) as batch_op:
        batch_op.drop_index("ix_as_run_event_channel_day")
        batch_op.drop_index(batch_op.f("ix_as_run_event_log_id"))
    op.drop_table("as_run_event")
    with op.batch_alter_table("as_run_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_as_run_log_channel_id"))
    op.drop_table("as_run_log")
