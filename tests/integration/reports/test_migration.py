"""Migration 0006: its tables match the models and it downgrades and upgrades cleanly."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Table, create_engine, inspect

import hotline.store.reports  # noqa: F401  (the models compared below)
from hotline.store.db import Base
from hotline.store.migrate import alembic_config, upgrade

TABLES = {"report_runs", "report_figures", "report_schedule"}


def concerns_reports(diff) -> bool:
    if isinstance(diff, list):
        return any(concerns_reports(item) for item in diff)
    for part in diff[1:]:
        table = part if isinstance(part, Table) else getattr(part, "table", None)
        if part in TABLES or getattr(table, "name", None) in TABLES:
            return True
    return False


def test_migration_matches_the_models_and_downgrades(database_url):
    upgrade(database_url)
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert [d for d in diffs if concerns_reports(d)] == []
        command.downgrade(alembic_config(database_url), "0003")
        assert not TABLES & set(inspect(engine).get_table_names())
        upgrade(database_url)
        assert TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
