"""RFC 9457 problem+json: every error the API returns has this one shape."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from mux_scheduler.core.errors import AppError

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://mux-scheduler.invalid/problems/"
RETRY_AFTER_SECONDS = 5


def problem_response(
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    instance: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return problem_response(
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        instance=request.url.path,
        errors=exc.errors,
        headers=headers,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(err.get("loc", ())), "msg": str(err.get("msg", "")), "type": err.get("type")}
        for err in exc.errors()
    ]
    return problem_response(
        status=422,
        code="validation-failed",
        title="Validation failed",
        detail=f"The request has {len(errors)} invalid field(s).",
        instance=request.url.path,
        errors=errors,
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    return problem_response(
        status=exc.status_code,
        code=phrase.lower().replace(" ", "-"),
        title=phrase,
        detail=str(exc.detail),
        instance=request.url.path,
        headers=dict(exc.headers) if exc.headers else None,
    )


async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
    """A value the database cannot hold (an id of 10**30, a date or text its column refuses)
    is the client's mistake, not the server's: SQLite raises ``OverflowError`` for integers
    past 64 bits, PostgreSQL a ``DataError``."""
    assert isinstance(exc, OverflowError | DataError)
    return problem_response(
        status=422,
        code="validation-failed",
        title="Validation failed",
        detail="A value in the request is out of range (ids and numbers must fit in 64 bits).",
        instance=request.url.path,
    )


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The database went away mid-request (restart, failover, network): the transaction was
    rolled back with the connection, so nothing was half-written and the client may retry."""
    return problem_response(
        status=503,
        code="database-unavailable",
        title="Database unavailable",
        detail="The database could not be reached; nothing was saved. Try again shortly.",
        instance=request.url.path,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(
        status=500,
        code="internal-error",
        title="Internal server error",
        detail="An unexpected error occurred; it has been logged.",
        instance=request.url.path,
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(DataError, _out_of_range)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(InterfaceError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected)
