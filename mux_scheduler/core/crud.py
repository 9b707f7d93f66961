"""Plain create/read/update/delete routes for reference data, written once.

Operators, multiplexes, profiles, channels, leases and agencies are reference data with the
same life cycle: staff write them, everyone reads what their scope allows. Domain logic that
is more than that (uploads, playlists) has its own service and router.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from fastapi import APIRouter, Depends, status
from sqlalchemy import ColumnElement, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select
from sqlmodel.sql.expression import SelectOfScalar

from mux_scheduler.auth.access import Principal, get_visible, scope
from mux_scheduler.auth.models import Role
from mux_scheduler.core import audit
from mux_scheduler.core.deps import CurrentPrincipal, PageDep, SessionDep
from mux_scheduler.core.errors import Conflict

M = TypeVar("M", bound=SQLModel)
T = TypeVar("T")


def paginate(session: Session, query: SelectOfScalar[T], page: Any) -> list[T]:
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page.total(total)
    return list(session.exec(query.offset(page.offset).limit(page.limit)))


@contextmanager
def integrity_as_conflict(session: Session, what: str) -> Iterator[None]:
    """Turn a database constraint failure into a 409 the user can act on; nothing is kept."""
    try:
        yield
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(
            f"{what} conflicts with existing data (a duplicate name, or a reference to a "
            "row that does not exist or is still in use)."
        ) from exc


def commit_or_conflict(session: Session, what: str) -> None:
    with integrity_as_conflict(session, what):
        session.commit()


def _no_filters() -> list[ColumnElement[bool]]:
    return []


@dataclass
class Resource(Generic[M]):
    model: type[M]
    path: str
    create: type[SQLModel]
    update: type[SQLModel]
    public: type[SQLModel]
    write_roles: tuple[Role, ...] = (Role.ADMIN,)
    list_filters: Callable[..., list[ColumnElement[bool]]] = _no_filters
    order_by: Any = None
    to_public: Callable[[M], dict[str, Any]] = field(default=lambda row: row.model_dump())
    check_write: Callable[[Session, Principal, SQLModel], None] = field(
        default=lambda _s, _p, _data: None
    )
    after_create: Callable[[Session, M], None] = field(default=lambda _s, _row: None)

    @property
    def label(self) -> str:
        return self.model.__name__


def crud_router(resource: Resource[M], *, tags: Sequence[str]) -> APIRouter:
    router = APIRouter(prefix=resource.path, tags=list(tags))
    public = resource.public
    label = resource.label

    def _public(row: M) -> SQLModel:
        return public.model_validate(resource.to_public(row))

    @router.get("", response_model=list[public], summary=f"List {label} records")  # type: ignore[valid-type]
    def list_rows(
        session: SessionDep,
        principal: CurrentPrincipal,
        page: PageDep,
        filters: list[ColumnElement[bool]] = Depends(resource.list_filters),
    ) -> list[SQLModel]:
        query = scope(resource.model, principal).where(*filters)
        primary_key = resource.order_by or resource.model.__table__.primary_key.columns.values()[0]  # type: ignore[attr-defined]
        return [_public(row) for row in paginate(session, query.order_by(primary_key), page)]

    @router.get("/{row_id}", response_model=public, summary=f"Get one {label}")
    def get_row(row_id: int, session: SessionDep, principal: CurrentPrincipal) -> SQLModel:
        return _public(get_visible(session, resource.model, row_id, principal))

    @router.post(
        "", response_model=public, status_code=status.HTTP_201_CREATED, summary=f"Create {label}"
    )
    def create_row(
        data: resource.create,  # type: ignore[name-defined]
        session: SessionDep,
        principal: CurrentPrincipal,
    ) -> SQLModel:
        principal.require(*resource.write_roles)
        resource.check_write(session, principal, data)
        row = resource.model.model_validate(data)
        session.add(row)
        with integrity_as_conflict(session, label):
            session.flush()
        resource.after_create(session, row)
        _audit(session, principal, "create", row, data.model_dump(mode="json"))
        commit_or_conflict(session, label)
        return _public(row)

    @router.patch("/{row_id}", response_model=public, summary=f"Change {label}")
    def update_row(
        row_id: int,
        data: resource.update,  # type: ignore[name-defined]
        session: SessionDep,
        principal: CurrentPrincipal,
    ) -> SQLModel:
        principal.require(*resource.write_roles)
        row = get_visible(session, resource.model, row_id, principal)
        resource.check_write(session, principal, data)
        changes = data.model_dump(exclude_unset=True)
        row.sqlmodel_update(changes)
        session.add(row)
        _audit(session, principal, "update", row, data.model_dump(mode="json", exclude_unset=True))
        commit_or_conflict(session, label)
        session.refresh(row)
        return _public(row)

    @router.delete("/{row_id}", status_code=status.HTTP_204_NO_CONTENT, summary=f"Delete {label}")
    def delete_row(row_id: int, session: SessionDep, principal: CurrentPrincipal) -> None:
        principal.require(*resource.write_roles)
        row = get_visible(session, resource.model, row_id, principal)
        _audit(session, principal, "delete", row, {})
        session.delete(row)
        commit_or_conflict(session, label)

    return router


def _audit(
    session: Session, principal: Principal, action: str, row: SQLModel, detail: dict[str, Any]
) -> None:
    audit.record_by(
        session,
        principal,
        action,
        type(row).__name__,
        getattr(row, "id", None),
        detail,
    )
