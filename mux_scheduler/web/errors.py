"""Errors as readable, localised pages for the web UI; the API keeps problem+json.

The problem+json handlers from ``core.problems`` stay in place: each is wrapped so that a
request for a UI path gets a page instead, chosen by path prefix (``/api/``, ``/static/``
and the health/docs endpoints are machine paths). An anonymous browser that hits a page
needing a user is redirected to ``/login?next=...``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlmodel import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mux_scheduler.core.errors import AppError, Unauthenticated
from mux_scheduler.web.deps import Viewer, load_viewer
from mux_scheduler.web.i18n import N_, normalise_locale
from mux_scheduler.web.session import LANGUAGE_COOKIE

logger = logging.getLogger(__name__)

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]
MACHINE_PATHS = ("/api/", "/static/", "/healthz", "/metrics", "/openapi.json", "/docs", "/redoc")


# (title, explanation) by AppError code or HTTP status.
MESSAGES: dict[str | int, tuple[str, str]] = {
    404: (N_("Page not found"), N_("This page does not exist, or it is not yours to see.")),
    403: (N_("Access denied"), N_("Your role does not allow this action.")),
    "csrf-failed": (
        N_("Security check failed"),
        N_(
            "The form expired or was not sent from this site. "
            "Go back, reload the page and try again."
        ),
    ),
    409: (N_("Conflict"), N_("The change conflicts with existing data.")),
    422: (N_("Invalid request"), N_("Some of the data sent is not valid.")),
    429: (N_("Too many attempts"), N_("Wait a minute and try again.")),
    500: (
        N_("Something went wrong"),
        N_("An unexpected error occurred and has been logged. Try again later."),
    ),
}
DEFAULT_MESSAGE = (N_("Request failed"), N_("The request could not be completed."))


def is_ui_request(request: Request) -> bool:
    return not request.url.path.startswith(MACHINE_PATHS)


def _status_and_code(exc: Exception) -> tuple[int, str | int]:
    if isinstance(exc, AppError):
        return exc.status, exc.code
    if isinstance(exc, StarletteHTTPException):
        return exc.status_code, exc.status_code
    if isinstance(exc, RequestValidationError):
        return 422, 422
    return 500, 500


def _viewer(request: Request) -> Viewer:
    try:
        with Session(request.app.state.engine, expire_on_commit=False) as session:
            return load_viewer(request, session)
    except Exception:
        logger.exception("could not identify the viewer of an error page")
        return Viewer(request, normalise_locale(request.cookies.get(LANGUAGE_COOKIE)))


def login_redirect(request: Request) -> Response:
    target = "/login"
    if request.method == "GET":
        target += "?next=" + quote(
            request.url.path + (f"?{request.url.query}" if request.url.query else "")
        )
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def error_page(request: Request, exc: Exception) -> Response:
    if isinstance(exc, Unauthenticated):
        return login_redirect(request)
    status, code = _status_and_code(exc)
    if status >= 500:
        logger.error("error page for %s %s", request.method, request.url.path, exc_info=exc)
    title, explanation = MESSAGES.get(code) or MESSAGES.get(status) or DEFAULT_MESSAGE
    detail = exc.detail if isinstance(exc, AppError) else None
    return _viewer(request).render(
        "error.html",
        status_code=status,
        status=status,
        status_phrase=HTTPStatus(status).phrase,
        title=title,
        explanation=explanation,
        detail=detail,
    )


def _either(api_handler: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if is_ui_request(request):
            return error_page(request, exc)
        response = api_handler(request, exc)
        return response if isinstance(response, Response) else await response

    return handle


def install_error_pages(app: FastAPI) -> None:
    for exc_class in (AppError, RequestValidationError, StarletteHTTPException, Exception):
        api_handler = app.exception_handlers[exc_class]
        app.add_exception_handler(exc_class, _either(api_handler))
