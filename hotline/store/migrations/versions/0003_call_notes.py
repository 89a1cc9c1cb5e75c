"""call notes (encrypted) and the record access log

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('call_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=False),
    sa.Column('counselor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('body_encrypted', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('call_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_notes_call_sid'), ['call_sid'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_notes_counselor_id'), ['counselor_id'], unique=False)

    op.create_table('record_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('record_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_access_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_access_call_sid'), ['call_sid'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_access_user_id'), ['user_id'], unique=False)


def downgrade() -> None:

    with op.batch_alter_table('record_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_access_user_id'))
        batch_op.drop_index(batch_op.f('ix_record_access_call_sid'))
        batch_op.drop_index(batch_op.f('ix_record_access_at'))

    op.drop_table('record_access')
    with op.batch_alter_table('call_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_notes_counselor_id'))
        batch_op.drop_index(batch_op.f('ix_call_notes_call_sid'))

    op.drop_table('call_notes')
