"""The FastAPI application factory. Engines, workers and schedulers start in ``lifespan``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Response
from sqlalchemy import text

import mux_scheduler.models  # noqa: F401 - every table is known before any query
from mux_scheduler.agencies.endpoints import router as agencies_router
from mux_scheduler.asrun.endpoints import router as asrun_router
from mux_scheduler.assets.endpoints import router as assets_router
from mux_scheduler.assets.upload_endpoints import router as uploads_router
from mux_scheduler.auth.endpoints import router as auth_router
from mux_scheduler.auth.throttle import LoginThrottle
from mux_scheduler.automation.endpoints import router as alerts_router
from mux_scheduler.channels.endpoints import router as channels_router
from mux_scheduler.core.db import make_engine, utcnow
from mux_scheduler.core.metrics import install_metrics
from mux_scheduler.core.problems import install_problem_handlers
from mux_scheduler.core.settings import Settings, get_settings
from mux_scheduler.delivery.rapid import RapidDelivery
from mux_scheduler.exports.endpoints import router as exports_router
from mux_scheduler.jobs.endpoints import router as jobs_router
from mux_scheduler.jobs.pool import LocalWorkerPool
from mux_scheduler.reports.endpoints import router as reports_router
from mux_scheduler.scheduling.endpoints import router as scheduling_router
from mux_scheduler.web import install_web

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.ensure_dirs()
        engine = make_engine(settings)
        app.state.engine = engine
        pool = LocalWorkerPool(engine, settings) if settings.queue == "local" else None
        if pool is not None:
            pool.start()
        try:
            yield
        finally:
            if pool is not None:
                pool.stop()
            engine.dispose()

    app = FastAPI(
        title="mux-scheduler",
        version="0.1.0",
        description="Scheduling service for government TV channels on DVB-T2 multiplexes.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clock = utcnow  # replaced by tests that need a controlled clock
    app.state.login_throttle = LoginThrottle(settings.login_attempts_per_minute)
    app.state.insert_delivery_hook = RapidDelivery(settings)
    install_problem_handlers(app)
    metrics = install_metrics(app)

    api = APIRouter(prefix=API_PREFIX)
    api.include_router(auth_router)
    api.include_router(agencies_router)
    api.include_router(channels_router)
    api.include_router(assets_router)
    api.include_router(uploads_router)
    api.include_router(jobs_router)
    api.include_router(scheduling_router)
    api.include_router(exports_router)
    api.include_router(alerts_router)
    api.include_router(asrun_router)
    api.include_router(reports_router)
    app.include_router(api)
    install_web(app)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        with app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"status": "ok", "database": "ok"}

    @app.get("/metrics", tags=["health"], include_in_schema=False)
    def prometheus() -> Response:
        return metrics.render()

    return app
