"""FastAPI dependencies shared by every router (as type aliases, so signatures stay short)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request, Response
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from mux_scheduler.auth import service as auth_service
from mux_scheduler.auth.access import Principal
from mux_scheduler.core.errors import Unauthenticated
from mux_scheduler.core.settings import Settings

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def get_principal(
    request: Request,
    session: SessionDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> Principal:
    if token is None:
        token = request.cookies.get("mux_session")
    if not token:
        raise Unauthenticated(
            "Send 'Authorization: Bearer <token>' (get one at /api/v1/auth/token)."
        )
    user = auth_service.user_for_token(session, token=token)
    session.commit()
    return Principal.of(user)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


class Page:
    """``?limit=&offset=`` on every list; the total goes out as ``X-Total-Count``."""

    def __init__(
        self,
        response: Response,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset
        self.response = response

    def total(self, count: int) -> None:
        self.response.headers["X-Total-Count"] = str(count)


PageDep = Annotated[Page, Depends()]
