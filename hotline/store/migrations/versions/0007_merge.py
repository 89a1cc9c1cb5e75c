"""merge rosters, triage and reports (developed side by side from 0003)

Revision ID: 0007
Revises: 0004, 0005, 0006
"""
revision = "0007"
down_revision = ("0004", "0005", "0006")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
