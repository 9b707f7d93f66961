"""technical profile: the operator's mux rate allocation

Revision ID: 0006_profile_mux_rate
Revises: 0005_asrun
Create Date: 2026-11-26 16:50:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_profile_mux_rate"
down_revision: str | None = "0005_asrun"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("technical_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mux_rate_bps", sa.Integer(), nullable=True))
    # Presets created before this revision get the Indonesian mux allocations.
    op.execute(
        "UPDATE technical_profile SET mux_rate_bps = 6000000 "
        "WHERE name = 'DVB-T2 HD 1080i25 H.264 6 Mb/s MP2'"
    )
    op.execute(
        "UPDATE technical_profile SET mux_rate_bps = 2500000 "
        "WHERE name = 'DVB-T2 SD 576i25 H.264 2.5 Mb/s'"
    )


def downgrade() -> None:
    with op.batch_alter_table("technical_profile", schema=None) as batch_op:
        batch_op.drop_column("mux_rate_bps")
