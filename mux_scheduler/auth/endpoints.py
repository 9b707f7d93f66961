"""Log-in, the current user, personal API tokens, and user administration."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import ColumnElement
from sqlmodel import col

from mux_scheduler.auth import service
from mux_scheduler.auth.access import get_visible, scope
from mux_scheduler.auth.models import Role, User
from mux_scheduler.auth.schemas import (
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenPublic,
    TokenResponse,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from mux_scheduler.auth.security import hash_password
from mux_scheduler.core import audit
from mux_scheduler.core.crud import commit_or_conflict, integrity_as_conflict, paginate
from mux_scheduler.core.deps import CurrentPrincipal, PageDep, SessionDep, SettingsDep
from mux_scheduler.core.errors import NotFound, TooManyRequests

router = APIRouter()


@router.post("/auth/token", response_model=TokenResponse, tags=["auth"])
def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> TokenResponse:
    """Exchange a user name and password for a bearer token (OAuth2 password form)."""
    throttle = request.app.state.login_throttle
    client = request.client.host if request.client else "unknown"
    key = f"{form.username.lower()}|{client}"
    if throttle.blocked(key):
        raise TooManyRequests("Too many failed log-ins. Wait a minute and try again.")
    try:
        user = service.authenticate(session, username=form.username, password=form.password)
    except Exception:
        throttle.failed(key)
        raise
    throttle.succeeded(key)
    lifetime = timedelta(minutes=settings.access_token_minutes)
    clear, row = service.issue_token(
        session, user=user, kind="session", name="login", lifetime=lifetime
    )
    session.commit()
    return TokenResponse(access_token=clear, expires_at=row.expires_at)


@router.get("/me", response_model=UserPublic, tags=["me"])
def read_me(session: SessionDep, principal: CurrentPrincipal) -> User:
    user = session.get(User, principal.user_id)
    assert user is not None
    return user


@router.get("/me/tokens", response_model=list[ApiTokenPublic], tags=["me"])
def list_my_tokens(session: SessionDep, principal: CurrentPrincipal) -> list[ApiTokenPublic]:
    user = session.get(User, principal.user_id)
    assert user is not None
    return [
        ApiTokenPublic.model_validate(t, from_attributes=True)
        for t in service.list_api_tokens(session, user=user)
    ]


@router.post(
    "/me/tokens", response_model=ApiTokenCreated, status_code=status.HTTP_201_CREATED, tags=["me"]
)
def create_my_token(
    data: ApiTokenCreate, session: SessionDep, principal: CurrentPrincipal
) -> ApiTokenCreated:
    """A long-lived token for scripts. The value is shown once; only its digest is stored."""
    user = session.get(User, principal.user_id)
    assert user is not None
    lifetime = timedelta(days=data.expires_in_days) if data.expires_in_days else None
    clear, row = service.issue_token(
        session, user=user, kind="api", name=data.name, lifetime=lifetime
    )
    audit.record_by(
        session,
        principal,
        "create",
        "ApiToken",
        row.id,
        {"name": data.name},
    )
    session.commit()
    public = ApiTokenPublic.model_validate(row, from_attributes=True)
    return ApiTokenCreated(**public.model_dump(), token=clear)


@router.delete("/me/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["me"])
def revoke_my_token(token_id: int, session: SessionDep, principal: CurrentPrincipal) -> None:
    user = session.get(User, principal.user_id)
    assert user is not None
    if service.revoke_api_token(session, user=user, token_id=token_id) is None:
        raise NotFound(f"Token {token_id} does not exist.")
    session.commit()


def _user_filters(
    agency_id: Annotated[int | None, Query()] = None,
    role: Annotated[Role | None, Query()] = None,
) -> list[ColumnElement[bool]]:
    filters = []
    if agency_id is not None:
        filters.append(col(User.agency_id) == agency_id)
    if role is not None:
        filters.append(col(User.role) == role.value)
    return filters


@router.get("/users", response_model=list[UserPublic], tags=["users"])
def list_users(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    filters: Annotated[list[ColumnElement[bool]], Depends(_user_filters)],
) -> list[User]:
    query = scope(User, principal).where(*filters).order_by(col(User.username))
    return paginate(session, query, page)


@router.get("/users/{user_id}", response_model=UserPublic, tags=["users"])
def get_user(user_id: int, session: SessionDep, principal: CurrentPrincipal) -> User:
    return get_visible(session, User, user_id, principal)


@router.post(
    "/users", response_model=UserPublic, status_code=status.HTTP_201_CREATED, tags=["users"]
)
def create_user(data: UserCreate, session: SessionDep, principal: CurrentPrincipal) -> User:
    principal.require(Role.ADMIN)
    with integrity_as_conflict(session, "User"):  # an agency or operator that does not exist
        user = service.create_user(session, **data.model_dump())
    audit.record_by(
        session,
        principal,
        "create",
        "User",
        user.id,
        data.model_dump(exclude={"password"}),
    )
    commit_or_conflict(session, "User")
    return user


@router.patch("/users/{user_id}", response_model=UserPublic, tags=["users"])
def update_user(
    user_id: int, data: UserUpdate, session: SessionDep, principal: CurrentPrincipal
) -> User:
    principal.require(Role.ADMIN)
    user = get_visible(session, User, user_id, principal)
    changes = data.model_dump(exclude_unset=True)
    if "password" in changes:
        service.check_password_policy(changes["password"])
        user.password_hash = hash_password(changes.pop("password"))
    user.sqlmodel_update(changes)
    session.add(user)
    audit.record_by(
        session,
        principal,
        "update",
        "User",
        user.id,
        data.model_dump(exclude_unset=True, exclude={"password"}),
    )
    commit_or_conflict(session, "User")
    return user


@router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["users"])
def deactivate_user(user_id: int, session: SessionDep, principal: CurrentPrincipal) -> None:
    """Users are deactivated, not deleted, so the audit log keeps naming them."""
    principal.require(Role.ADMIN)
    user = get_visible(session, User, user_id, principal)
    user.is_active = False
    session.add(user)
    audit.record_by(
        session,
        principal,
        "deactivate",
        "User",
        user.id,
    )
    session.commit()
