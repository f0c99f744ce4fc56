"""notification dedup key

Notifications get a ``dedup_key`` and a partial unique index on
(user_id, dedup_key) over the unread rows that have one: the database keeps at
most one unread notification per recipient and key (e.g. ``flag:post:7``), so
two flags filed at the same instant can no longer both notify a moderator.

Existing unread flag notifications are given their key, the oldest per
moderator and post only: where the race already left two, the newer one stays
unkeyed (still listed, no longer counted for deduplication), so the unique
index can be built.

Revision ID: bf3db4018422
Revises: 8b21181d3184
Create Date: 2026-11-23 22:59:38.599913+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bf3db4018422'
down_revision = '8b21181d3184'
branch_labels = None
depends_on = None

UNREAD_DEDUP_WHERE = 'read_at IS NULL AND dedup_key IS NOT NULL'

notifications = sa.table(
    'notifications',
    sa.column('id', sa.Integer()),
    sa.column('user_id', sa.Integer()),
    sa.column('kind', sa.String()),
    sa.column('data', sa.JSON()),
    sa.column('read_at', sa.DateTime(timezone=True)),
    sa.column('dedup_key', sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dedup_key', sa.String(length=120), nullable=True))

    _key_unread_flag_notifications()

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(
            'ux_notifications_user_id_dedup_key_unread',
            ['user_id', 'dedup_key'],
            unique=True,
            sqlite_where=sa.text(UNREAD_DEDUP_WHERE),
            postgresql_where=sa.text(UNREAD_DEDUP_WHERE),
        )


def _key_unread_flag_notifications() -> None:
    """``flag:post:<id>`` on the oldest unread flag notification per moderator and post.

    Done in Python (the rows are few) because reading ``data->post_id`` differs
    between SQLite and PostgreSQL.
    """
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(notifications.c.id, notifications.c.user_id, notifications.c.data)
        .where(notifications.c.kind == 'flag', notifications.c.read_at.is_(None))
        .order_by(notifications.c.id)
    ).all()
    seen: set[tuple[int, str]] = set()
    for row_id, user_id, data in rows:
        post_id = (data or {}).get('post_id') if isinstance(data, dict) else None
        if not isinstance(post_id, int) or isinstance(post_id, bool):
            continue
        key = f'flag:post:{post_id}'
        if (user_id, key) in seen:
            continue
        seen.add((user_id, key))
        conn.execute(
            notifications.update()
            .where(notifications.c.id == row_id)
            .values(dedup_key=key)
        )


def downgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ux_notifications_user_id_dedup_key_unread')
        batch_op.drop_column('dedup_key')
