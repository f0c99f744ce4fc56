"""login session last seen: when each login session was last used (moved at most every
few minutes), so a daily job can delete the sessions no cookie can still present.

One nullable column, no backfill: NULL reads as "not used since it started" (the sweep
reckons from created_at), so sessions open today keep their full lifetime. The
downgrade drops the column and nothing else.

Revision ID: 71ec141400ec
Revises: 6fe57ffdfa65
Create Date: 2026-12-07 23:06:26.381371+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '71ec141400ec'
down_revision = '6fe57ffdfa65'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')
