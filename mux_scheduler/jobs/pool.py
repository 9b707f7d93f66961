"""The local worker pool: a few threads working the database queue (``MUX_QUEUE=local``).

ffmpeg does the heavy lifting in its own processes, so threads are enough here; the bound on
threads is the bound on concurrent ffmpeg jobs.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from mux_scheduler.core.settings import Settings
from mux_scheduler.jobs import queue, runner
from mux_scheduler.jobs.registry import load_handlers

log = logging.getLogger(__name__)


class LocalWorkerPool:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        size: int | None = None,
        poll_seconds: float = 0.25,
        stale_after: timedelta = queue.STALE_AFTER,
        heartbeat_seconds: float = runner.HEARTBEAT_SECONDS,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.size = size or settings.local_workers
        self.poll_seconds = poll_seconds
        self.stale_after = stale_after
        self.heartbeat_seconds = heartbeat_seconds
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._running: dict[int, threading.Event] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        load_handlers()
        runner.recover_stale(self.engine, self.settings, self.stale_after)
        for number in range(self.size):
            thread = threading.Thread(
                target=self._work, args=(number,), name=f"mux-worker-{number}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop claiming; running jobs are interrupted and put back in the queue."""
        self.stopping.set()
        with self._lock:
            for event in self._running.values():
                event.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def run_forever(self) -> None:
        self.start()
        try:
            while not self.stopping.wait(1.0):
                pass
        finally:
            self.stop()

    def _work(self, number: int) -> None:
        worker = runner.worker_id(f"local-{number}")
        sweep_every = max(self.stale_after.total_seconds() / 2, self.poll_seconds)
        idle = 0.0
        while not self.stopping.is_set():
            job_id = self._claim(worker)
            if job_id is None:
                idle += self.poll_seconds
                if number == 0 and idle >= sweep_every:
                    idle = 0.0
                    runner.recover_stale(self.engine, self.settings, self.stale_after)
                self.stopping.wait(self.poll_seconds)
                continue
            self._run(job_id, worker)

    def _claim(self, worker: str) -> int | None:
        try:
            with Session(self.engine) as session:
                return queue.claim_next(session, worker)
        except Exception:
            # A database hiccup must not end the worker thread; the next poll tries again.
            log.exception("worker %s could not poll the job queue", worker)
            return None

    def _run(self, job_id: int, worker: str) -> None:
        cancel = threading.Event()
        with self._lock:
            self._running[job_id] = cancel
        try:
            runner.run_claimed(
                self.engine,
                self.settings,
                job_id,
                worker,
                cancel_event=cancel,
                stopping=self.stopping,
                heartbeat_seconds=self.heartbeat_seconds,
            )
        except Exception:
            # Recording the outcome failed (database gone?); the job's heartbeat stops, so
            # recovery retries it later. The thread must live on to serve other jobs.
            log.exception("worker %s could not record the outcome of job %s", worker, job_id)
        finally:
            with self._lock:
                self._running.pop(job_id, None)
