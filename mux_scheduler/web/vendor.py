"""Front-end libraries from ``node_modules`` (installed by ``npm ci`` in ``make venv``).

Only each package's ``dist`` folder is served, at ``/static/vendor/<name>/``; nothing of the
libraries is committed. Without ``node_modules`` the pages still work (every form is a plain
HTML form); they only lose htmx's enhancements.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

logger = logging.getLogger(__name__)

# URL name -> folder inside node_modules
VENDOR_PACKAGES = {"htmx": "htmx.org/dist", "tus": "tus-js-client/dist"}


def node_modules() -> Path | None:
    for root in (Path(__file__).resolve().parents[2], Path.cwd()):
        candidate = root / "node_modules"
        if candidate.is_dir():
            return candidate
    return None


def mount_vendor(app: FastAPI) -> None:
    modules = node_modules()
    for name, folder in VENDOR_PACKAGES.items():
        directory = modules / folder if modules else None
        if directory is None or not directory.is_dir():
            logger.warning("front-end package %s is missing: run `make venv` (npm ci)", folder)
            continue
        app.mount(f"/static/vendor/{name}", StaticFiles(directory=directory), name=f"vendor-{name}")
