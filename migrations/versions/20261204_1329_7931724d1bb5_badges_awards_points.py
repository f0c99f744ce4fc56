"""badges: awards (one per user, badge and community), the scored-actions ledger with its
monthly rollup, the leaderboard setting, and when an action item was done

Revision ID: 7931724d1bb5
Revises: 79b31037ac09
Create Date: 2026-12-04 13:29:48.435783+00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7931724d1bb5"
down_revision = "79b31037ac09"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "badge_awards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("badge_slug", sa.String(length=40), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("awarded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revocation_reason", sa.String(length=200), nullable=False),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_badge_awards_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_badge_awards_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_badge_awards")),
        sa.UniqueConstraint(
            "user_id",
            "badge_slug",
            "community_id",
            name=op.f("uq_badge_awards_user_id_badge_slug_community_id"),
        ),
    )
    with op.batch_alter_table("badge_awards", schema=None) as batch_op:
        batch_op.create_index("ix_badge_awards_badge", ["badge_slug", "awarded_at"], unique=False)
        batch_op.create_index("ix_badge_awards_community", ["community_id"], unique=False)

    op.create_table(
        "leaderboard_settings",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_leaderboard_settings_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("community_id", name=op.f("pk_leaderboard_settings")),
    )
    op.create_table(
        "points_monthly",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_points_monthly_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_points_monthly_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_monthly")),
        sa.UniqueConstraint(
            "community_id",
            "user_id",
            "month",
            name=op.f("uq_points_monthly_community_id_user_id_month"),
        ),
    )
    with op.batch_alter_table("points_monthly", schema=None) as batch_op:
        batch_op.create_index(
            "ix_points_monthly_board", ["community_id", "month", "user_id"], unique=False
        )

    op.create_table(
        "scored_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("credited", sa.Integer(), nullable=False),
        sa.Column("subject_key", sa.String(length=80), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_scored_actions_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_scored_actions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scored_actions")),
        sa.UniqueConstraint("subject_key", name=op.f("uq_scored_actions_subject_key")),
    )
    with op.batch_alter_table("scored_actions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_scored_actions_community_time", ["community_id", "occurred_at"], unique=False
        )
        batch_op.create_index(
            "ix_scored_actions_daily", ["community_id", "user_id", "day"], unique=False
        )
        batch_op.create_index("ix_scored_actions_subject", ["kind", "subject_id"], unique=False)

    # Nullable: items ticked off before this revision are dated by their creation.
    with op.batch_alter_table("meeting_action_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("done_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting_action_items", schema=None) as batch_op:
        batch_op.drop_column("done_at")

    with op.batch_alter_table("scored_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_scored_actions_subject")
        batch_op.drop_index("ix_scored_actions_daily")
        batch_op.drop_index("ix_scored_actions_community_time")

    op.drop_table("scored_actions")
    with op.batch_alter_table("points_monthly", schema=None) as batch_op:
        batch_op.drop_index("ix_points_monthly_board")

    op.drop_table("points_monthly")
    op.drop_table("leaderboard_settings")
    with op.batch_alter_table("badge_awards", schema=None) as batch_op:
        batch_op.drop_index("ix_badge_awards_community")
        batch_op.drop_index("ix_badge_awards_badge")

    op.drop_table("badge_awards")
