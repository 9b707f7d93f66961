"""Migration 0004 creates exactly the tables the export, delivery and alert models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from tests.conftest import Database

TABLES = {"export_template", "export", "delivery", "delivery_attempt", "alert"}


def _table_of(diff: object) -> str | None:
    for part in diff if isinstance(diff, list) else [diff]:
        for value in part if isinstance(part, tuple) else ():
            name = getattr(value, "name", None)
            table = getattr(value, "table", None)
            if table is not None and getattr(table, "name", None) in TABLES:
                return str(table.name)
            if name in TABLES:
                return str(name)
            if isinstance(value, str) and value in TABLES:
                return value
    return None


def test_migrated_tables_match_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, SQLModel.metadata)
    assert [d for d in diffs if _table_of(d) is not None] == []
