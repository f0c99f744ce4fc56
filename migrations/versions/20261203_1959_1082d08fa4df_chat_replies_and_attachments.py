"""chat replies and attachments: a message may quote another of its channel and carry
photos and files

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
    op.create_table(
        "chat_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("uploader_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=80), nullable=False),
        sa.Column("thumb_key", sa.String(length=80), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["chat_channels.id"],
            name=op.f("fk_chat_attachments_channel_id_chat_channels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["chat_messages.id"],
            name=op.f("fk_chat_attachments_message_id_chat_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploader_id"],
            ["users.id"],
            name=op.f("fk_chat_attachments_uploader_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_attachments")),
        sa.UniqueConstraint(
            "uploader_id", "client_id", name=op.f("uq_chat_attachments_uploader_id_client_id")
        ),
    )
    with op.batch_alter_table("chat_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chat_attachments_channel_id"), ["channel_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_chat_attachments_message_id"), ["message_id"], unique=False
        )


def downgrade() -> None:
    # The stored files stay in the upload folder; `cop` never reads them again.
    with op.batch_alter_table("chat_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_attachments_message_id"))
        batch_op.drop_index(batch_op.f("ix_chat_attachments_channel_id"))
    op.drop_table("chat_attachments")
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_chat_messages_reply_to_id_chat_messages"), type_="foreignkey"
        )
        batch_op.drop_column("reply_to_id")
