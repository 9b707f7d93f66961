"""Cross-site request forgery protection for everything the browser's cookie authenticates.

The token is an HMAC of the cookie that identifies the browser (the session token once logged
in, an anonymous random value before), keyed with ``settings.secret_key``: nothing is stored
server-side, it changes at every log-in, and a page of another site can neither read nor
compute it. Forms send it as the hidden field ``csrf_token``; htmx and scripts send the
``X-CSRF-Token`` header (``base.html`` puts it in ``hx-headers``).

* Web routes: the ``verify_csrf`` dependency on the web router checks every non-safe method.
* API routes: ``CsrfMiddleware`` refuses a non-safe ``/api/`` request that is authenticated
  by the session cookie (no ``Authorization`` header) unless it carries the header. Bearer
  clients are unaffected: browsers never attach bearer tokens on their own.
"""

from __future__ import annotations

import hashlib
import hmac

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from mux_scheduler.core.errors import Forbidden
from mux_scheduler.core.problems import problem_response

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SESSION_COOKIE = "mux_session"
ANON_COOKIE = "mux_anon"
HEADER = "X-CSRF-Token"
FIELD = "csrf_token"


class CsrfFailed(Forbidden):
    code = "csrf-failed"
    title = "Security check failed"


def token_for(cookie_value: str, secret_key: str) -> str:
    mac = hmac.new(secret_key.encode(), b"csrf:" + cookie_value.encode(), hashlib.sha256)
    return mac.hexdigest()


def browser_key(cookies: dict[str, str]) -> str | None:
    """The cookie the token is tied to: the session when logged in, else the anonymous one."""
    return cookies.get(SESSION_COOKIE) or cookies.get(ANON_COOKIE)


def is_valid(cookies: dict[str, str], sent: str | None, secret_key: str) -> bool:
    key = browser_key(cookies)
    if not key or not sent:
        return False
    return hmac.compare_digest(token_for(key, secret_key), sent)


async def verify_csrf(request: Request) -> None:
    """Router dependency: a non-safe request needs the header or the form field."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(HEADER)
    if sent is None and _is_form(request.headers):
        value = (await request.form()).get(FIELD)
        sent = value if isinstance(value, str) else None
    if not is_valid(request.cookies, sent, request.app.state.settings.secret_key):
        raise CsrfFailed("The form's security token is missing or out of date.")


def _is_form(headers: Headers) -> bool:
    content_type = headers.get("content-type", "")
    return content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


class CsrfMiddleware:
    """Protects cookie-authenticated API calls (header only: API bodies are not forms)."""

    def __init__(self, app: ASGIApp, *, api_prefix: str, secret_key: str) -> None:
        self.app = app
        self.api_prefix = api_prefix
        self.secret_key = secret_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._needs_check(scope):
            request = Request(scope)
            if SESSION_COOKIE in request.cookies and not is_valid(
                request.cookies, request.headers.get(HEADER), self.secret_key
            ):
                response = problem_response(
                    status=403,
                    code=CsrfFailed.code,
                    title=CsrfFailed.title,
                    detail=f"Cookie-authenticated requests must send the {HEADER} header.",
                    instance=request.url.path,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _needs_check(self, scope: Scope) -> bool:
        if scope["method"] in SAFE_METHODS or not scope["path"].startswith(self.api_prefix):
            return False
        return "authorization" not in Headers(scope=scope)
