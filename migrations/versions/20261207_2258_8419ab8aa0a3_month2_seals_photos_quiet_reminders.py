"""the coordinator's month (#14, the rest): a community's signature and stamp images
for certificates (one per kind and community), meeting photos (dokumentasi) and the
last reminder each quiet member was sent (one row per member and community: the
unique key is what keeps it to once in 30 days), and the certificates PDFs built by a
background job for big meetings

Only new tables: the downgrade drops them and touches nothing else. Read by hand: a
community's or meeting's removal takes its images along (the rows; the files stay in
storage like chat attachments' do), a user's removal keeps what they uploaded with the
uploader emptied, and drops their reminder rows.

Revision ID: 8419ab8aa0a3
Revises: b15acd40e566
Create Date: 2026-12-07 22:58:57.387006+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8419ab8aa0a3'
down_revision = 'b15acd40e566'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('community_seals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('storage_key', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_community_seals_community_id_communities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_community_seals_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_seals')),
    sa.UniqueConstraint('community_id', 'kind', name=op.f('uq_community_seals_community_id_kind'))
    )
    op.create_table('insights_quiet_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_insights_quiet_reminders_community_id_communities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_insights_quiet_reminders_sent_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_insights_quiet_reminders_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insights_quiet_reminders')),
    sa.UniqueConstraint('community_id', 'user_id', name=op.f('uq_insights_quiet_reminders_community_id_user_id'))
    )
    with op.batch_alter_table('insights_quiet_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_insights_quiet_reminders_user_id'), ['user_id'], unique=False)

    op.create_table('meeting_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('uploader_id', sa.Integer(), nullable=True),
    sa.Column('caption', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=80), nullable=False),
    sa.Column('thumb_key', sa.String(length=80), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_photos_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploader_id'], ['users.id'], name=op.f('fk_meeting_photos_uploader_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_photos'))
    )
    with op.batch_alter_table('meeting_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_photos_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_certificate_builds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=80), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ready_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_certificate_builds_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_meeting_certificate_builds_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_certificate_builds'))
    )
    with op.batch_alter_table('meeting_certificate_builds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_certificate_builds_meeting_id'), ['meeting_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('meeting_certificate_builds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_certificate_builds_meeting_id'))

    op.drop_table('meeting_certificate_builds')
    with op.batch_alter_table('meeting_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_photos_meeting_id'))

    op.drop_table('meeting_photos')
    with op.batch_alter_table('insights_quiet_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_insights_quiet_reminders_user_id'))

    op.drop_table('insights_quiet_reminders')
    op.drop_table('community_seals')
