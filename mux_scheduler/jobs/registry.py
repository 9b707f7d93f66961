"""Job kinds (``"domain.action"``) and the functions that run them.

Domains declare their handlers with ``@handler("assets.transcode")`` in their ``tasks`` module;
``load_handlers`` imports those modules, so a worker process knows every kind.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from mux_scheduler.core.errors import AppError
from mux_scheduler.core.settings import Settings

HANDLER_MODULES = ("mux_scheduler.assets.tasks",)


class JobCancelled(AppError):
    status = 409
    code = "job-cancelled"
    title = "Job cancelled"


@dataclass
class JobContext:
    job_id: int
    payload: dict[str, Any]
    engine: Engine
    settings: Settings
    cancel_event: threading.Event = field(default_factory=threading.Event)
    progress: float = 0.0

    def report_progress(self, fraction: float) -> None:
        self.progress = min(max(fraction, 0.0), 1.0)

    def check_cancelled(self) -> None:
        if self.cancel_event.is_set():
            raise JobCancelled("The job was cancelled.")


Run = Callable[[JobContext], None]
# Called in a fresh session when a job ends without success (failed, cancelled, given up).
OnFailure = Callable[[JobContext, str], None]
# Removes temporaries a killed worker may have left behind; must be safe to run twice.
Cleanup = Callable[[Settings, dict[str, Any]], None]


@dataclass(frozen=True)
class JobHandler:
    kind: str
    run: Run
    on_failure: OnFailure | None = None
    cleanup: Cleanup | None = None


_HANDLERS: dict[str, JobHandler] = {}


def handler(
    kind: str, *, on_failure: OnFailure | None = None, cleanup: Cleanup | None = None
) -> Callable[[Run], Run]:
    def register(run: Run) -> Run:
        _HANDLERS[kind] = JobHandler(kind, run, on_failure, cleanup)
        return run

    return register


def load_handlers() -> None:
    for module in HANDLER_MODULES:
        importlib.import_module(module)


def get_handler(kind: str) -> JobHandler:
    load_handlers()
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise AppError(f"No handler for job kind {kind!r}") from None
