"""calls, call events and call-back requests

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 05:03:03.613111
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('callback_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=False),
    sa.Column('line_id', sa.String(length=64), nullable=True),
    sa.Column('caller_key', sa.String(length=64), nullable=False),
    sa.Column('number_encrypted', sa.Text(), nullable=True),
    sa.Column('recording_url', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('call_sid')
    )
    with op.batch_alter_table('callback_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callback_requests_caller_key'), ['caller_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_requests_line_id'), ['line_id'], unique=False)

    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=False),
    sa.Column('line_id', sa.String(length=64), nullable=True),
    sa.Column('dialled_number', sa.String(length=32), nullable=False),
    sa.Column('caller_key', sa.String(length=64), nullable=False),
    sa.Column('caller_region', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('outcome', sa.String(length=24), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('menu_choice', sa.String(length=32), nullable=True),
    sa.Column('routed_to', sa.String(length=64), nullable=True),
    sa.Column('rollovers', sa.Integer(), nullable=False),
    sa.Column('counselor_id', sa.Integer(), nullable=True),
    sa.Column('telephony_status', sa.String(length=24), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('wait_seconds', sa.Double(), nullable=True),
    sa.Column('talk_seconds', sa.Double(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('call_sid')
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_caller_key'), ['caller_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_counselor_id'), ['counselor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_line_id'), ['line_id'], unique=False)
        batch_op.create_index('ix_calls_line_received', ['line_id', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_received_at'), ['received_at'], unique=False)

    op.create_table('call_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('dedup_key', sa.String(length=128), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('call_id', 'dedup_key', name='uq_call_event_dedup')
    )
    with op.batch_alter_table('call_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_events_call_id'), ['call_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('call_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_events_call_id'))

    op.drop_table('call_events')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_received_at'))
        batch_op.drop_index('ix_calls_line_received')
        batch_op.drop_index(batch_op.f('ix_calls_line_id'))
        batch_op.drop_index(batch_op.f('ix_calls_counselor_id'))
        batch_op.drop_index(batch_op.f('ix_calls_caller_key'))

    op.drop_table('calls')
    with op.batch_alter_table('callback_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callback_requests_line_id'))
        batch_op.drop_index(batch_op.f('ix_callback_requests_caller_key'))

    op.drop_table('callback_requests')

