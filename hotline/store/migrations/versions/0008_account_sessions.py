"""users: a session version (revocable sessions), a lock (sign-in ceiling); account_audit

Revision ID: 0008_accounts
Revises: 0007
Create Date: 2026-12-02 05:30:00.000000

The session version is part of every session cookie (Flask-Login's alternative id
"<user id>:<version>"): bumping it ends every earlier session of that user. `locked_at`
is set when an account reaches the failed sign-in ceiling; a supervisor clears it.
`account_audit` records who locked, unlocked, signed out or changed an account.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_accounts'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('locked_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('account_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.String(length=255), nullable=False, server_default=''),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_account_audit_at', 'account_audit', ['at'])


def downgrade() -> None:
    op.drop_index('ix_account_audit_at', table_name='account_audit')
    op.drop_table('account_audit')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('locked_at')
        batch.drop_column('session_version')
