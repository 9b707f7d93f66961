"""Prometheus metrics, on a registry per app so tests and workers never collide."""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)


class HttpMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "mux_http_requests_total",
            "HTTP requests by route and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "mux_http_request_seconds",
            "HTTP request latency by route",
            ["method", "route"],
            registry=self.registry,
        )

    def render(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


_ID_SEGMENT = re.compile(r"/(\d+|\d{4}-\d{2}-\d{2}|[0-9a-f]{32})(?=/|$)")


def _route_label(request: Request) -> str:
    """Path with ids and dates folded, so label cardinality stays bounded."""
    if request.scope.get("route") is None:
        return "unmatched"
    return _ID_SEGMENT.sub("/{id}", request.url.path)


def install_metrics(app: FastAPI) -> HttpMetrics:
    metrics = HttpMetrics()

    @app.middleware("http")
    async def _measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        template = _route_label(request)
        metrics.requests.labels(request.method, template, str(response.status_code)).inc()
        metrics.latency.labels(request.method, template).observe(time.perf_counter() - started)
        return response

    return metrics
