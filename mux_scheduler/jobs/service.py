"""Jobs as users see them: who may see which job, and cancelling one."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true
from sqlmodel import Session, col

from mux_scheduler.auth.access import Principal, get_visible, register_scope
from mux_scheduler.auth.models import Role
from mux_scheduler.core import audit
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.errors import Conflict
from mux_scheduler.jobs.models import FINISHED_STATES, Job, JobState


def job_scope(principal: Principal) -> ColumnElement[bool]:
    if principal.is_staff:
        return true()
    if principal.role == Role.AGENCY_EDITOR and principal.agency_id is not None:
        return col(Job.agency_id) == principal.agency_id
    return false()


register_scope(Job, job_scope)


def cancel_job(session: Session, *, principal: Principal, job_id: int) -> Job:
    """A queued job is cancelled at once; a running one is stopped by its worker's heartbeat
    (ffmpeg is terminated and its partial output removed)."""
    principal.require(Role.ADMIN, Role.PROGRAMMER)
    job = get_visible(session, Job, job_id, principal)
    if job.state in FINISHED_STATES:
        raise Conflict(f"Job {job_id} has already finished ({job.state}).")
    job.cancel_requested = True
    if job.state == JobState.QUEUED:
        job.state = JobState.CANCELLED
        job.finished_at = utcnow()
        job.error = "Cancelled before it started."
    session.add(job)
    audit.record_by(
        session,
        principal,
        "cancel",
        "Job",
        job_id,
        {"kind": job.kind},
    )
    session.commit()
    session.refresh(job)
    return job
