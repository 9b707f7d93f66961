"""The migrations build exactly the tables the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from tests.conftest import Database


def _ours(name: str | None, type_: str, _parent: object) -> bool:
    """APScheduler keeps its job store in the same database; that table is not ours."""
    return not (type_ == "table" and name == "apscheduler_jobs")


def test_migrated_schema_matches_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": _ours}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []
