"""The web UI: server-rendered Jinja2 pages with htmx, in Bahasa Indonesia and English.

``install_web(app)`` is the single hook ``app.create_app`` calls.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from mux_scheduler.web.csrf import CsrfMiddleware
from mux_scheduler.web.errors import install_error_pages
from mux_scheduler.web.routes import router
from mux_scheduler.web.vendor import mount_vendor

STATIC_DIR = Path(__file__).parent / "static"


def install_web(app: FastAPI, *, api_prefix: str = "/api/") -> None:
    """Pages, static files, HTML error pages and CSRF checks; after the problem handlers."""
    app.include_router(router)
    mount_vendor(app)  # before /static, which would otherwise match /static/vendor/...
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_pages(app)
    app.add_middleware(
        CsrfMiddleware, api_prefix=api_prefix, secret_key=app.state.settings.secret_key
    )


__all__ = ["install_web"]
