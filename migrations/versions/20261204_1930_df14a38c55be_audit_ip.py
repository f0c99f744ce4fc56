"""audit log: the address each action came from

Revision ID: df14a38c55be
Revises: 86d71c9dac5f
Create Date: 2026-12-04 19:30:00+00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "df14a38c55be"
down_revision = "86d71c9dac5f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ip", sa.String(length=45), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("ip")
