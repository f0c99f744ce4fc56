"""learning cycles (#20): lesson studies (observers, plan revisions and comments, linked
resources, observations by student code with a client id each), mentoring pairs (mentees,
GROW sessions, feedback) and PTKs (group, cycles, data files, comments, reviewer grants)

Only new tables: the downgrade drops them and touches nothing else. Read by hand: every
foreign key names its ON DELETE (a community's removal takes its cycles along; a user's
removal keeps what others wrote, with the author emptied), the unique keys are the
idempotency guarantees (observer + client id, one feedback per mentee and session, one
grant per reviewer and PTK).

Revision ID: b15acd40e566
Revises: 441b2855a919
Create Date: 2026-12-07 15:02:33.182839+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b15acd40e566'
down_revision = '441b2855a919'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mentoring_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('focus', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('session_hours', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_mentoring_pairs_community_id_communities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentoring_pairs_mentor_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_mentoring_pairs_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_pairs'))
    )
    with op.batch_alter_table('mentoring_pairs', schema=None) as batch_op:
        batch_op.create_index('ix_mentoring_pairs_community_id_id', ['community_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_pairs_mentor_id'), ['mentor_id'], unique=False)

    op.create_table('ptks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_ptks_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_ptks_community_id_communities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ptks'))
    )
    with op.batch_alter_table('ptks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ptks_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_ptks_community_id_id', ['community_id', 'id'], unique=False)

    op.create_table('mentoring_mentees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['mentoring_pairs.id'], name=op.f('fk_mentoring_mentees_pair_id_mentoring_pairs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mentoring_mentees_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_mentees')),
    sa.UniqueConstraint('pair_id', 'user_id', name=op.f('uq_mentoring_mentees_pair_id_user_id'))
    )
    with op.batch_alter_table('mentoring_mentees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_mentees_user_id'), ['user_id'], unique=False)

    op.create_table('mentoring_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('reality', sa.Text(), nullable=False),
    sa.Column('options', sa.Text(), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_mentoring_sessions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pair_id'], ['mentoring_pairs.id'], name=op.f('fk_mentoring_sessions_pair_id_mentoring_pairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_sessions'))
    )
    with op.batch_alter_table('mentoring_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_sessions_next_due'), ['next_due'], unique=False)
        batch_op.create_index('ix_mentoring_sessions_pair_id_id', ['pair_id', 'id'], unique=False)

    op.create_table('ptk_cycles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ptk_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('plan', sa.Text(), nullable=False),
    sa.Column('act', sa.Text(), nullable=False),
    sa.Column('observe', sa.Text(), nullable=False),
    sa.Column('reflect', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ptk_id'], ['ptks.id'], name=op.f('fk_ptk_cycles_ptk_id_ptks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ptk_cycles')),
    sa.UniqueConstraint('ptk_id', 'number', name=op.f('uq_ptk_cycles_ptk_id_number'))
    )
    op.create_table('ptk_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ptk_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ptk_id'], ['ptks.id'], name=op.f('fk_ptk_members_ptk_id_ptks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ptk_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ptk_members')),
    sa.UniqueConstraint('ptk_id', 'user_id', name=op.f('uq_ptk_members_ptk_id_user_id'))
    )
    with op.batch_alter_table('ptk_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ptk_members_user_id'), ['user_id'], unique=False)

    op.create_table('ptk_reviewers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ptk_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_ptk_reviewers_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ptk_id'], ['ptks.id'], name=op.f('fk_ptk_reviewers_ptk_id_ptks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ptk_reviewers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ptk_reviewers')),
    sa.UniqueConstraint('ptk_id', 'user_id', name=op.f('uq_ptk_reviewers_ptk_id_user_id'))
    )
    with op.batch_alter_table('ptk_reviewers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ptk_reviewers_ptk_id'), ['ptk_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ptk_reviewers_user_id'), ['user_id'], unique=False)

    op.create_table('lesson_studies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('grade', sa.String(length=40), nullable=False),
    sa.Column('learning_goal', sa.Text(), nullable=False),
    sa.Column('model_teacher_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('plan_body', sa.Text(), nullable=False),
    sa.Column('plan_html', sa.Text(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('lessons_body', sa.Text(), nullable=False),
    sa.Column('lessons_html', sa.Text(), nullable=False),
    sa.Column('reflection_published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('model_hours', sa.Integer(), nullable=False),
    sa.Column('observer_hours', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_lesson_studies_community_id_communities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_lesson_studies_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_lesson_studies_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['model_teacher_id'], ['users.id'], name=op.f('fk_lesson_studies_model_teacher_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_studies'))
    )
    with op.batch_alter_table('lesson_studies', schema=None) as batch_op:
        batch_op.create_index('ix_lesson_studies_community_id_id', ['community_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lesson_studies_model_teacher_id'), ['model_teacher_id'], unique=False)

    op.create_table('mentoring_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['mentee_id'], ['users.id'], name=op.f('fk_mentoring_feedback_mentee_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['mentoring_sessions.id'], name=op.f('fk_mentoring_feedback_session_id_mentoring_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_feedback')),
    sa.UniqueConstraint('session_id', 'mentee_id', name=op.f('uq_mentoring_feedback_session_id_mentee_id'))
    )
    op.create_table('ptk_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ptk_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_ptk_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cycle_id'], ['ptk_cycles.id'], name=op.f('fk_ptk_comments_cycle_id_ptk_cycles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ptk_id'], ['ptks.id'], name=op.f('fk_ptk_comments_ptk_id_ptks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ptk_comments'))
    )
    with op.batch_alter_table('ptk_comments', schema=None) as batch_op:
        batch_op.create_index('ix_ptk_comments_ptk_id_id', ['ptk_id', 'id'], unique=False)

    op.create_table('ptk_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('uploader_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['ptk_cycles.id'], name=op.f('fk_ptk_files_cycle_id_ptk_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploader_id'], ['users.id'], name=op.f('fk_ptk_files_uploader_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ptk_files'))
    )
    with op.batch_alter_table('ptk_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ptk_files_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('lesson_observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_study_id', sa.Integer(), nullable=False),
    sa.Column('observer_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('student_code', sa.String(length=12), nullable=False),
    sa.Column('moment', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('photo_key', sa.String(length=80), nullable=True),
    sa.Column('photo_type', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lesson_study_id'], ['lesson_studies.id'], name=op.f('fk_lesson_observations_lesson_study_id_lesson_studies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['observer_id'], ['users.id'], name=op.f('fk_lesson_observations_observer_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_observations')),
    sa.UniqueConstraint('observer_id', 'client_id', name=op.f('uq_lesson_observations_observer_id_client_id'))
    )
    with op.batch_alter_table('lesson_observations', schema=None) as batch_op:
        batch_op.create_index('ix_lesson_observations_study_id', ['lesson_study_id', 'id'], unique=False)

    op.create_table('lesson_observers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_study_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lesson_study_id'], ['lesson_studies.id'], name=op.f('fk_lesson_observers_lesson_study_id_lesson_studies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_lesson_observers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_observers')),
    sa.UniqueConstraint('lesson_study_id', 'user_id', name=op.f('uq_lesson_observers_lesson_study_id_user_id'))
    )
    with op.batch_alter_table('lesson_observers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_observers_user_id'), ['user_id'], unique=False)

    op.create_table('lesson_plan_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_study_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_lesson_plan_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lesson_study_id'], ['lesson_studies.id'], name=op.f('fk_lesson_plan_comments_lesson_study_id_lesson_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_plan_comments'))
    )
    with op.batch_alter_table('lesson_plan_comments', schema=None) as batch_op:
        batch_op.create_index('ix_lesson_plan_comments_study_id', ['lesson_study_id', 'id'], unique=False)

    op.create_table('lesson_plan_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_study_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_lesson_plan_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lesson_study_id'], ['lesson_studies.id'], name=op.f('fk_lesson_plan_revisions_lesson_study_id_lesson_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_plan_revisions'))
    )
    with op.batch_alter_table('lesson_plan_revisions', schema=None) as batch_op:
        batch_op.create_index('ix_lesson_plan_revisions_study_id', ['lesson_study_id', 'id'], unique=False)

    op.create_table('lesson_resources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_study_id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lesson_study_id'], ['lesson_studies.id'], name=op.f('fk_lesson_resources_lesson_study_id_lesson_studies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_lesson_resources_resource_id_resources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_resources')),
    sa.UniqueConstraint('lesson_study_id', 'resource_id', name=op.f('uq_lesson_resources_lesson_study_id_resource_id'))
    )


def downgrade() -> None:
    op.drop_table('lesson_resources')
    with op.batch_alter_table('lesson_plan_revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_lesson_plan_revisions_study_id')

    op.drop_table('lesson_plan_revisions')
    with op.batch_alter_table('lesson_plan_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_lesson_plan_comments_study_id')

    op.drop_table('lesson_plan_comments')
    with op.batch_alter_table('lesson_observers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_observers_user_id'))

    op.drop_table('lesson_observers')
    with op.batch_alter_table('lesson_observations', schema=None) as batch_op:
        batch_op.drop_index('ix_lesson_observations_study_id')

    op.drop_table('lesson_observations')
    with op.batch_alter_table('ptk_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ptk_files_cycle_id'))

    op.drop_table('ptk_files')
    with op.batch_alter_table('ptk_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_ptk_comments_ptk_id_id')

    op.drop_table('ptk_comments')
    op.drop_table('mentoring_feedback')
    with op.batch_alter_table('lesson_studies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_studies_model_teacher_id'))
        batch_op.drop_index('ix_lesson_studies_community_id_id')

    op.drop_table('lesson_studies')
    with op.batch_alter_table('ptk_reviewers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ptk_reviewers_user_id'))
        batch_op.drop_index(batch_op.f('ix_ptk_reviewers_ptk_id'))

    op.drop_table('ptk_reviewers')
    with op.batch_alter_table('ptk_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ptk_members_user_id'))

    op.drop_table('ptk_members')
    op.drop_table('ptk_cycles')
    with op.batch_alter_table('mentoring_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_sessions_pair_id_id')
        batch_op.drop_index(batch_op.f('ix_mentoring_sessions_next_due'))

    op.drop_table('mentoring_sessions')
    with op.batch_alter_table('mentoring_mentees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_mentees_user_id'))

    op.drop_table('mentoring_mentees')
    with op.batch_alter_table('ptks', schema=None) as batch_op:
        batch_op.drop_index('ix_ptks_community_id_id')
        batch_op.drop_index(batch_op.f('ix_ptks_author_id'))

    op.drop_table('ptks')
    with op.batch_alter_table('mentoring_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_pairs_mentor_id'))
        batch_op.drop_index('ix_mentoring_pairs_community_id_id')

    op.drop_table('mentoring_pairs')
