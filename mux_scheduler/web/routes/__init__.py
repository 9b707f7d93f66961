"""UI routes, one module per area. Every route here is behind the CSRF check."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from mux_scheduler.web.csrf import verify_csrf
from mux_scheduler.web.routes import (
    admin,
    auth,
    blocks,
    campaigns,
    channels,
    days,
    exports,
    inserts,
    library,
    mux,
    reports,
    rules,
)

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)
for module in (
    auth,
    channels,
    days,
    blocks,
    inserts,
    mux,
    rules,
    campaigns,
    library,
    exports,
    reports,
    admin,
):
    router.include_router(module.router)
