"""login sessions: one row per browser login, replacing users.session_token

Logout, password change and "log out everywhere" revoke rows, so a copied session
or remember-me cookie stops working; API tokens made in a session remember it and
end with it. Everyone is logged out once by this upgrade (their cookies hold the
old per-user token).

Revision ID: f7fe64cbe5ba
Revises: 4f596c86dbbe
Create Date: 2026-12-04 18:41:31.794519+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f7fe64cbe5ba'
down_revision = "4f596c86dbbe"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_login_sessions_key_hash'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_api_tokens_session_id'), ['session_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_api_tokens_session_id_login_sessions'), 'login_sessions', ['session_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_session_token'), type_='unique')
        batch_op.drop_column('session_token')



def downgrade() -> None:
    # every user gets a fresh random token (everyone is logged out again)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.VARCHAR(length=64), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("UPDATE users SET session_token = lower(hex(randomblob(32)))")
    else:
        op.execute("UPDATE users SET session_token = md5(random()::text || id::text) || md5(id::text || random()::text)")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.VARCHAR(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_session_token'), ['session_token'])

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_tokens_session_id_login_sessions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_api_tokens_session_id'))
        batch_op.drop_column('session_id')

    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))

    op.drop_table('login_sessions')
