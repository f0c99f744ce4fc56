"""meetings: the roll (a status per attendance: present, excused, sick, absent), guests
who are not members, and meetings recorded after they happened

Revision ID: 69aec466e8e5
Revises: 1b066a8271b5
Create Date: 2026-12-04 19:09:52.903832+00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "69aec466e8e5"
down_revision = "1b066a8271b5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_guests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("school", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("nuptk", sa.String(length=16), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_meeting_guests_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_guests_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_guests")),
        sa.UniqueConstraint(
            "meeting_id", "client_id", name=op.f("uq_meeting_guests_meeting_id_client_id")
        ),
    )
    with op.batch_alter_table("meeting_guests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_guests_meeting_id"), ["meeting_id"])

    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=8), server_default="present", nullable=False)
        )
    # Rows from before the roll: excused ones say so.
    op.execute("UPDATE meeting_attendance SET status = 'excused' WHERE excused")

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recorded", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("recorded")

    # Sick keeps its meaning as excused; absent rows had no place before the roll.
    op.execute("DELETE FROM meeting_attendance WHERE status = 'absent'")
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.drop_column("status")

    with op.batch_alter_table("meeting_guests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_guests_meeting_id"))

    op.drop_table("meeting_guests")
