"""triage: assessments, referrals, caller files, checklists, follow-ups, file access log

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-24 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def _indexes(table: str, *columns: str, unique: bool = False) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=unique)


def upgrade() -> None:
    op.create_table('triage_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=False),
    sa.Column('caller_key', sa.String(length=64), nullable=False),
    sa.Column('counselor_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.String(length=64), nullable=False),
    sa.Column('form_version', sa.Integer(), nullable=False),
    sa.Column('answers_encrypted', sa.Text(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('rule_level', sa.String(length=16), nullable=False),
    sa.Column('peak_level', sa.String(length=16), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('override_reason_encrypted', sa.Text(), nullable=True),
    sa.Column('needs_review', sa.Boolean(), nullable=False),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', _TZ, nullable=True),
    sa.Column('actions_done', sa.JSON(), nullable=False),
    sa.Column('created_at', _TZ, nullable=False),
    sa.Column('updated_at', _TZ, nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('call_sid')
    )
    _indexes('triage_assessments', 'caller_key', 'counselor_id', 'level', 'needs_review', 'updated_at')

    op.create_table('triage_referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=False),
    sa.Column('caller_key', sa.String(length=64), nullable=False),
    sa.Column('institution_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('history', sa.JSON(), nullable=False),
    sa.Column('note_encrypted', sa.Text(), nullable=True),
    sa.Column('next_follow_up_at', _TZ, nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', _TZ, nullable=False),
    sa.Column('updated_at', _TZ, nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    _indexes('triage_referrals', 'call_sid', 'caller_key', 'status', 'next_follow_up_at')
    op.create_index('ix_triage_referrals_open_due', 'triage_referrals', ['status', 'next_follow_up_at'],
                    unique=False)

    op.create_table('caller_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('caller_key', sa.String(length=64), nullable=False),
    sa.Column('flagged_level', sa.String(length=16), nullable=True),
    sa.Column('flagged_at', _TZ, nullable=True),
    sa.Column('flagged_call_sid', sa.String(length=64), nullable=True),
    sa.Column('callback_number_encrypted', sa.Text(), nullable=True),
    sa.Column('callback_consent_at', _TZ, nullable=True),
    sa.Column('created_at', _TZ, nullable=False),
    sa.Column('updated_at', _TZ, nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('caller_key')
    )
    _indexes('caller_files', 'flagged_level')

    op.create_table('triage_checklists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=False),
    sa.Column('done', sa.JSON(), nullable=False),
    sa.Column('values_encrypted', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=False),
    sa.Column('updated_at', _TZ, nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('call_sid')
    )

    op.create_table('triage_follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=False),
    sa.Column('caller_key', sa.String(length=64), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('due_at', _TZ, nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('job_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', _TZ, nullable=False),
    sa.Column('done_by', sa.Integer(), nullable=True),
    sa.Column('done_at', _TZ, nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('call_sid')
    )
    _indexes('triage_follow_ups', 'caller_key', 'due_at')

    op.create_table('caller_file_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('caller_key', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('at', _TZ, nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    _indexes('caller_file_access', 'user_id', 'caller_key', 'at')


def downgrade() -> None:
    op.drop_index('ix_triage_referrals_open_due', table_name='triage_referrals')
    for table in ('caller_file_access', 'triage_follow_ups', 'triage_checklists', 'caller_files',
                  'triage_referrals', 'triage_assessments'):
        op.drop_table(table)
