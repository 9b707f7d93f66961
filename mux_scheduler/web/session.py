"""Browser sessions: the ``mux_session`` cookie around an ``auth`` session token."""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from sqlmodel import Session, select
from starlette.requests import Request
from starlette.responses import Response

from mux_scheduler.auth import service as auth_service
from mux_scheduler.auth.models import ApiToken, User
from mux_scheduler.auth.security import token_digest
from mux_scheduler.core.settings import Settings
from mux_scheduler.web.csrf import ANON_COOKIE, SESSION_COOKIE

LANGUAGE_COOKIE = "mux_lang"
ONE_YEAR = 365 * 24 * 3600


def secure_cookies(settings: Settings) -> bool:
    """Plain-HTTP cookies only where nobody else can listen: development and tests."""
    return settings.environment not in ("development", "test")


def start_session(session: Session, *, user: User, settings: Settings, response: Response) -> None:
    lifetime = timedelta(minutes=settings.access_token_minutes)
    clear, _row = auth_service.issue_token(
        session, user=user, kind="session", name="web", lifetime=lifetime
    )
    response.set_cookie(
        SESSION_COOKIE,
        clear,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure_cookies(settings),
        path="/",
    )


def end_session(session: Session, *, token: str | None, response: Response) -> None:
    """Revoke the session token (so a copied cookie is dead too) and drop the cookie."""
    if token:
        row = session.exec(
            select(ApiToken).where(ApiToken.token_hash == token_digest(token))
        ).first()
        if row is not None and row.kind == "session":
            row.revoked = True
            session.add(row)
    response.delete_cookie(SESSION_COOKIE, path="/")


def ensure_anonymous_cookie(request: Request, response: Response, settings: Settings) -> None:
    """Give a browser without a session the random value its log-in form's token is tied to."""
    if request.cookies.get(ANON_COOKIE) or request.cookies.get(SESSION_COOKIE):
        return
    response.set_cookie(
        ANON_COOKIE,
        anonymous_value(request),
        httponly=True,
        samesite="lax",
        secure=secure_cookies(settings),
        path="/",
    )


def anonymous_value(request: Request) -> str:
    """The anonymous value for this request, created once and reused while rendering."""
    value = request.cookies.get(ANON_COOKIE) or getattr(request.state, "anon_value", None)
    if not isinstance(value, str):
        value = secrets.token_urlsafe(32)
        request.state.anon_value = value
    return value


def set_language_cookie(response: Response, locale: str, settings: Settings) -> None:
    response.set_cookie(
        LANGUAGE_COOKIE,
        locale,
        max_age=ONE_YEAR,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(settings),
        path="/",
    )


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: no scheme, no host, no ``//evil`` or ``/\\evil`` tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ch in target for ch in "\\\r\n\t") or any(ord(ch) < 32 for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
