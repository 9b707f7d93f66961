"""Who is looking at a page, in which language: the one dependency every page takes.

``Viewer`` works for anonymous pages (log-in, errors); ``SignedIn`` is the same object for
pages that need a user, and sends an anonymous browser to ``/login?next=...``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.responses import HTMLResponse

from mux_scheduler.auth import service as auth_service
from mux_scheduler.auth.access import Principal
from mux_scheduler.auth.models import Role, User
from mux_scheduler.core.deps import SessionDep
from mux_scheduler.core.errors import Unauthenticated
from mux_scheduler.core.settings import Settings
from mux_scheduler.web import csrf
from mux_scheduler.web.i18n import normalise_locale
from mux_scheduler.web.nav import NavItem, nav_for
from mux_scheduler.web.session import LANGUAGE_COOKIE, anonymous_value, ensure_anonymous_cookie
from mux_scheduler.web.templating import render


@dataclass
class Viewer:
    request: Request
    locale: str
    user: User | None = None
    principal: Principal | None = None
    nav: list[NavItem] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        settings: Settings = self.request.app.state.settings
        return settings

    @property
    def csrf_token(self) -> str:
        key = csrf.browser_key(self.request.cookies) or anonymous_value(self.request)
        return csrf.token_for(key, self.settings.secret_key)

    @property
    def signed_in(self) -> Principal:
        if self.principal is None:
            raise Unauthenticated("Log in to see this page.")
        return self.principal

    def is_role(self, *roles: Role) -> bool:
        return self.principal is not None and self.principal.role in roles

    def render(
        self, template: str, *, status_code: int = 200, active: str = "", **context: Any
    ) -> HTMLResponse:
        """Render a page; ``active`` is the ``NavItem.key`` to mark as the current page."""
        response = render(
            template,
            {"viewer": self, "request": self.request, "active": active, **context},
            locale=self.locale,
            status_code=status_code,
        )
        if self.user is None:
            ensure_anonymous_cookie(self.request, response, self.settings)
        return response


def load_viewer(request: Request, session: Session) -> Viewer:
    """The viewer behind the session cookie; anonymous when there is none or it is dead."""
    settings: Settings = request.app.state.settings
    token = request.cookies.get(csrf.SESSION_COOKIE)
    user = None
    if token:
        try:
            user = auth_service.user_for_token(session, token=token)
            session.commit()
        except Unauthenticated:
            user = None
    if user is None:
        cookie_locale = request.cookies.get(LANGUAGE_COOKIE)
        return Viewer(request, normalise_locale(cookie_locale, settings.default_locale))
    principal = Principal.of(user)
    locale = normalise_locale(user.locale, settings.default_locale)
    return Viewer(request, locale, user, principal, nav_for(principal.role))


def get_viewer(request: Request, session: SessionDep) -> Viewer:
    return load_viewer(request, session)


def get_signed_in(viewer: Annotated[Viewer, Depends(get_viewer)]) -> Viewer:
    viewer.signed_in  # noqa: B018 - raises Unauthenticated, which the UI turns into a redirect
    return viewer


ViewerDep = Annotated[Viewer, Depends(get_viewer)]
SignedInDep = Annotated[Viewer, Depends(get_signed_in)]
