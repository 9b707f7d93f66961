"""Test fixtures: real SQLite and PostgreSQL databases, migrated once, emptied after each test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

import mux_scheduler.models  # noqa: F401 - every table on the metadata
from mux_scheduler.app import create_app
from mux_scheduler.auth import service as auth_service
from mux_scheduler.auth.models import Role, User
from mux_scheduler.core.db import make_engine
from mux_scheduler.core.migrate import upgrade
from mux_scheduler.core.settings import Settings
from tests.world import World, build_world

POSTGRES_ADMIN_URL = os.environ.get(
    "MUX_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "correct-horse-battery"


@dataclass
class Database:
    backend: str
    url: str
    engine: Engine


def _postgres_database(name: str) -> Iterator[str]:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        raise RuntimeError(
            f"PostgreSQL is required for the test suite and is not reachable at "
            f"{POSTGRES_ADMIN_URL} ({exc}). `make test` starts it; see the README."
        ) from exc
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("db") / "mux.db"
    settings = Settings(database_url=f"sqlite:///{path}", environment="test")
    engine = make_engine(settings)
    upgrade(engine)
    yield Database("sqlite", settings.database_url, engine)
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[Database]:
    name = f"mux_test_{uuid.uuid4().hex[:10]}"
    for url in _postgres_database(name):
        engine = make_engine(Settings(database_url=url, environment="test"))
        upgrade(engine)
        yield Database("postgres", url, engine)
        engine.dispose()


def _empty(database: Database) -> None:
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with database.engine.begin() as connection:
        if database.backend == "postgres":
            quoted = ", ".join(f'"{name}"' for name in tables)
            connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                connection.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest) -> Iterator[Database]:
    """Every test that takes this runs once on SQLite and once on PostgreSQL."""
    db: Database = request.getfixturevalue(f"{request.param}_database")
    yield db
    _empty(db)


@pytest.fixture
def sqlite_db(sqlite_database: Database) -> Iterator[Database]:
    yield sqlite_database
    _empty(sqlite_database)


@pytest.fixture
def settings(database: Database, tmp_path: Path) -> Settings:
    return make_settings(database, tmp_path)


def make_settings(database: Database, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=database.url,
        data_dir=tmp_path / "var",
        media_root=tmp_path / "media",
        playlists_root=tmp_path / "playlists",
        login_attempts_per_minute=5,
    )


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    with Session(database.engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


UserFactory = Callable[..., User]


@pytest.fixture
def make_user(session: Session) -> UserFactory:
    counter = iter(range(1, 10_000))

    def factory(
        role: Role, *, agency_id: int | None = None, operator_id: int | None = None
    ) -> User:
        user = auth_service.create_user(
            session,
            username=f"{role.value}-{next(counter)}",
            password=PASSWORD,
            role=role,
            agency_id=agency_id,
            operator_id=operator_id,
        )
        session.commit()
        return user

    return factory


def login(client: TestClient, user: User) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Real argon2id with minimal cost parameters: hashing stays real, tests stay quick."""
    from argon2 import PasswordHasher

    from mux_scheduler.auth import security

    production = security._hasher
    security._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    security._hasher = production


@pytest.fixture
def world(session: Session) -> World:
    """The demo installation plus a second operator whose data nobody else may see."""
    return build_world(session)
