"""communities: a status (active, pending approval, rejected, archived) and the review note

Revision ID: 86d71c9dac5f
Revises: c469a5c3be0c
Create Date: 2026-12-04 19:24:40.403083+00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "86d71c9dac5f"
down_revision = "c469a5c3be0c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # every existing community is active (the server default fills the rows)
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=10), server_default="active", nullable=False)
        )
        batch_op.add_column(
            sa.Column("review_note", sa.String(length=500), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.drop_column("review_note")
        batch_op.drop_column("status")
