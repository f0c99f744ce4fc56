"""meetings: certificates (a unique number per attendee, hours, issued, revoked with a
reason) and each community's issuer code in their numbers

Revision ID: 441b2855a919
Revises: 69aec466e8e5
Create Date: 2026-12-04 19:25:23.820566+00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "441b2855a919"
down_revision = "69aec466e8e5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=80), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("guest_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoke_reason", sa.String(length=500), nullable=False),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_meeting_certificates_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["guest_id"],
            ["meeting_guests.id"],
            name=op.f("fk_meeting_certificates_guest_id_meeting_guests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_certificates_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["users.id"],
            name=op.f("fk_meeting_certificates_revoked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_meeting_certificates_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_certificates")),
        sa.UniqueConstraint(
            "community_id",
            "year",
            "serial",
            name=op.f("uq_meeting_certificates_community_id_year_serial"),
        ),
        sa.UniqueConstraint(
            "meeting_id", "guest_id", name=op.f("uq_meeting_certificates_meeting_id_guest_id")
        ),
        sa.UniqueConstraint(
            "meeting_id", "user_id", name=op.f("uq_meeting_certificates_meeting_id_user_id")
        ),
        sa.UniqueConstraint("number", name=op.f("uq_meeting_certificates_number")),
    )
    with op.batch_alter_table("meeting_certificates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_certificates_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_certificates_user_id"), ["user_id"], unique=False
        )

    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("certificate_code", sa.String(length=20), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_communities_certificate_code"), ["certificate_code"]
        )


def downgrade() -> None:
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_communities_certificate_code"), type_="unique")
        batch_op.drop_column("certificate_code")

    with op.batch_alter_table("meeting_certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_certificates_user_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_certificates_meeting_id"))

    op.drop_table("meeting_certificates")
