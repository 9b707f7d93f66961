"""The database job queue: claim order, atomic claims, outcomes, recovery, visibility."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.auth.access import Principal
from mux_scheduler.auth.models import User
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.errors import MediaError
from mux_scheduler.core.settings import Settings
from mux_scheduler.jobs import queue, runner, service
from mux_scheduler.jobs.models import Job
from mux_scheduler.jobs.registry import JobContext, handler
from tests.conftest import Database
from tests.world import World, auth

FAILURES: list[tuple[int, str]] = []


def _fail_note(context: JobContext, message: str) -> None:
    FAILURES.append((context.job_id, message))


@handler("tests.outcome", on_failure=_fail_note)
def _outcome(context: JobContext) -> None:
    mode = context.payload["mode"]
    if mode == "media":
        raise MediaError("File is truncated: upload the complete file again")
    if mode == "bug":
        raise KeyError("profile")
    if mode == "wait":
        context.cancel_event.wait(20)
        context.check_cancelled()


def _enqueue(session: Session, settings: Settings, **fields: object) -> int:
    job = queue.enqueue(session, "tests.outcome", {"mode": "ok"}, settings=settings, **fields)  # type: ignore[arg-type]
    session.commit()
    assert job.id is not None
    return job.id


def test_urgent_jobs_first_then_oldest(session: Session, settings: Settings) -> None:
    old = _enqueue(session, settings)
    new = _enqueue(session, settings)
    urgent = _enqueue(session, settings, priority=queue.URGENT_PRIORITY)
    claimed = [queue.claim_next(session, "w1") for _ in range(4)]
    assert claimed == [urgent, old, new, None]
    job = session.get(Job, urgent)
    assert job is not None
    session.refresh(job)
    assert (job.state, job.attempts, job.locked_by) == ("running", 1, "w1")


def test_two_workers_never_claim_the_same_job(
    session: Session, settings: Settings, database: Database
) -> None:
    ids = {_enqueue(session, settings) for _ in range(20)}
    claims: dict[str, list[int]] = {"a": [], "b": []}

    def work(name: str) -> None:
        with Session(database.engine) as own:
            while (job_id := queue.claim_next(own, name)) is not None:
                claims[name].append(job_id)

    threads = [threading.Thread(target=work, args=(name,)) for name in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claims["a"] + claims["b"]) == sorted(ids)


def test_outcomes_are_recorded_with_a_readable_error(
    session: Session, settings: Settings, database: Database
) -> None:
    results: dict[str, str | None] = {}
    for mode in ("ok", "media", "bug"):
        job = queue.enqueue(session, "tests.outcome", {"mode": mode}, settings=settings)
        session.commit()
        assert job.id is not None and queue.claim(session, job.id, "w")
        results[mode] = runner.run_claimed(database.engine, settings, job.id, "w")
        session.refresh(job)
        assert job.finished_at is not None
        results[mode + "_error"] = job.error
    assert results["ok"] == "done"
    assert results["media"] == "failed"
    assert results["media_error"] == "File is truncated: upload the complete file again"
    assert (
        results["bug"] == "failed"
        and results["bug_error"] == "Unexpected error: KeyError: 'profile'"
    )
    assert [message for _, message in FAILURES[-2:]] == [
        results["media_error"],
        results["bug_error"],
    ]


def test_jobs_of_a_dead_worker_are_retried_then_given_up(
    session: Session, settings: Settings, database: Database
) -> None:
    retry = _enqueue(session, settings)
    give_up = _enqueue(session, settings)
    for job_id, attempts in ((retry, 1), (give_up, 3)):
        job = session.get(Job, job_id)
        assert job is not None
        job.sqlmodel_update(
            {
                "state": "running",
                "attempts": attempts,
                "locked_by": "host:123:local-0",
                "heartbeat_at": utcnow() - timedelta(minutes=5),
            }
        )
        session.add(job)
    fresh = _enqueue(session, settings)
    assert queue.claim(session, fresh, "alive")
    session.commit()

    recovered = runner.recover_stale(database.engine, settings, timedelta(seconds=60))
    assert sorted(recovered) == sorted([retry, give_up])
    states = {
        job.id: (job.state, job.error)
        for job in session.exec(select(Job).execution_options(populate_existing=True))
    }
    assert states[retry][0] == "queued" and "host:123:local-0 stopped" in (states[retry][1] or "")
    assert states[give_up][0] == "failed" and "giving up" in (states[give_up][1] or "")
    assert states[fresh][0] == "running"  # its worker is alive: left alone
    assert FAILURES[-1] == (give_up, states[give_up][1])


def test_editors_see_only_their_agencys_jobs_and_staff_cancel(
    client: TestClient, world: World, session: Session, settings: Settings
) -> None:
    kemenkes_job = _enqueue(session, settings, agency_id=world.agencies["KEMENKES"])
    other_job = _enqueue(session, settings, agency_id=world.agencies["KOMDIGI"])
    editor = auth(client, world, "editor.kemenkes")
    time.sleep(0.2)
    listed = client.get("/api/v1/jobs", headers=editor)
    assert [j["id"] for j in listed.json()] == [kemenkes_job]
    assert listed.headers["X-Total-Count"] == "1"
    assert client.get(f"/api/v1/jobs/{other_job}", headers=editor).status_code == 404
    assert client.get("/api/v1/jobs", headers=auth(client, world, "operator.tvri")).json() == []
    assert client.post(f"/api/v1/jobs/{kemenkes_job}/cancel", headers=editor).status_code == 403


def test_cancelling_a_running_job(
    client: TestClient, world: World, session: Session, settings: Settings
) -> None:
    job = queue.enqueue(session, "tests.outcome", {"mode": "wait"}, settings=settings)
    session.commit()
    programmer = auth(client, world, "programmer")
    deadline = time.monotonic() + 10
    while client.get(f"/api/v1/jobs/{job.id}", headers=programmer).json()["state"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert client.post(f"/api/v1/jobs/{job.id}/cancel", headers=programmer).status_code == 200
    while (state := client.get(f"/api/v1/jobs/{job.id}", headers=programmer).json())[
        "state"
    ] == "running":
        assert time.monotonic() < deadline + 10
        time.sleep(0.1)
    assert state["state"] == "cancelled" and state["cancel_requested"]
    again = client.post(f"/api/v1/jobs/{job.id}/cancel", headers=programmer)
    assert again.status_code == 409


def test_cancelling_a_queued_job_stops_it_before_it_starts(
    session: Session, settings: Settings, world: World
) -> None:
    job_id = _enqueue(session, settings)
    staff = session.exec(select(User).where(User.username == "programmer")).one()
    job = service.cancel_job(session, principal=Principal.of(staff), job_id=job_id)
    assert job.state == "cancelled"
    assert queue.claim_next(session, "w") is None
