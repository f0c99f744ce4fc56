"""users: when the address was confirmed (accounts made before this count as confirmed)

Revision ID: e4a7bba9b230
Revises: 65a94dfb56b7
Create Date: 2026-12-04 20:40:00+00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e4a7bba9b230"
down_revision = "65a94dfb56b7"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email_confirmed_at", sa.DateTime(timezone=True), nullable=True)
        )
    # everyone who already has an account keeps posting: confirmed as of their sign-up
    op.execute("UPDATE users SET email_confirmed_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("email_confirmed_at")
