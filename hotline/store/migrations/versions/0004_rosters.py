"""rosters: shift slots, rotation patterns, shifts, leave, swap requests, audit, feed tokens

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('roster_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('line_id', sa.String(length=64), nullable=False),
    sa.Column('start_time', sa.String(length=5), nullable=False),
    sa.Column('end_time', sa.String(length=5), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('label_zh', sa.String(length=64), nullable=False),
    sa.Column('label_en', sa.String(length=64), nullable=False),
    sa.Column('tz', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('roster_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_slots_line_id'), ['line_id'], unique=False)

    op.create_table('roster_patterns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('cycle', sa.JSON(), nullable=False),
    sa.Column('assignees', sa.JSON(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('days', sa.String(length=16), nullable=False),
    sa.Column('on_holiday', sa.String(length=8), nullable=False),
    sa.Column('advance_on', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )

    op.create_table('roster_shifts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('counselor_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.String(length=64), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('slot_code', sa.String(length=64), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('pattern_id', sa.Integer(), nullable=True),
    sa.Column('original_counselor_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['counselor_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['roster_slots.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('counselor_id', 'starts_at', 'line_id', name='uq_roster_shift_seat')
    )
    with op.batch_alter_table('roster_shifts', schema=None) as batch_op:
        batch_op.create_index('ix_roster_shifts_counselor_start', ['counselor_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_roster_shifts_line_start', ['line_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_roster_shifts_start', ['starts_at'], unique=False)

    op.create_table('roster_leave',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('counselor_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['counselor_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('roster_leave', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_leave_counselor_id'), ['counselor_id'], unique=False)

    op.create_table('roster_swaps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=True),
    sa.Column('other_shift_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('override', sa.Boolean(), nullable=False),
    sa.Column('violations', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['requester_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shift_id'], ['roster_shifts.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['other_shift_id'], ['roster_shifts.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('roster_swaps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_swaps_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_swaps_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_swaps_target_id'), ['target_id'], unique=False)

    op.create_table('roster_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=48), nullable=False),
    sa.Column('target', sa.String(length=128), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('roster_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_audit_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_audit_at'), ['at'], unique=False)

    op.create_table('roster_feed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('counselor_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['counselor_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('counselor_id'),
    sa.UniqueConstraint('token_hash')
    )


def downgrade() -> None:

    op.drop_table('roster_feed_tokens')
    with op.batch_alter_table('roster_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_audit_at'))
        batch_op.drop_index(batch_op.f('ix_roster_audit_actor_id'))

    op.drop_table('roster_audit')
    with op.batch_alter_table('roster_swaps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_swaps_target_id'))
        batch_op.drop_index(batch_op.f('ix_roster_swaps_status'))
        batch_op.drop_index(batch_op.f('ix_roster_swaps_requester_id'))

    op.drop_table('roster_swaps')
    with op.batch_alter_table('roster_leave', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_leave_counselor_id'))

    op.drop_table('roster_leave')
    with op.batch_alter_table('roster_shifts', schema=None) as batch_op:
        batch_op.drop_index('ix_roster_shifts_start')
        batch_op.drop_index('ix_roster_shifts_line_start')
        batch_op.drop_index('ix_roster_shifts_counselor_start')

    op.drop_table('roster_shifts')
    op.drop_table('roster_patterns')
    with op.batch_alter_table('roster_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_slots_line_id'))

    op.drop_table('roster_slots')
