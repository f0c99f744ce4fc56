"""chat replies: a message may quote another of its channel

Revision ID: 1082d08fa4df
Revises: bf3db4018422
Create Date: 2026-12-03 19:59:29.957223+00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "1082d08fa4df"
down_revision = "bf3db4018422"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable, no default: existing messages are not replies; SQLite rebuilds the
    # table in batch mode to add the foreign key.
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_to_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_chat_messages_reply_to_id_chat_messages"),
            "chat_messages",
            ["reply_to_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_chat_messages_reply_to_id_chat_messages"), type_="foreignkey"
        )
        batch_op.drop_column("reply_to_id")
