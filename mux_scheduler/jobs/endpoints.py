"""REST routes for background jobs (analysis, transcode): state, progress, error."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import col

from mux_scheduler.auth.access import get_visible, scope
from mux_scheduler.core.crud import paginate
from mux_scheduler.core.deps import CurrentPrincipal, PageDep, SessionDep
from mux_scheduler.jobs import service
from mux_scheduler.jobs.models import Job, JobState
from mux_scheduler.jobs.schemas import JobPublic

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("", response_model=list[JobPublic], summary="List jobs")
def list_jobs(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    state: Annotated[JobState | None, Query()] = None,
    kind: Annotated[str | None, Query(max_length=60)] = None,
    asset_id: Annotated[int | None, Query()] = None,
) -> list[Job]:
    query = scope(Job, principal)
    if state is not None:
        query = query.where(col(Job.state) == state)
    if kind is not None:
        query = query.where(col(Job.kind) == kind)
    if asset_id is not None:
        query = query.where(col(Job.asset_id) == asset_id)
    return paginate(session, query.order_by(col(Job.id).desc()), page)


@router.get("/{job_id}", response_model=JobPublic, summary="Get one job (state, progress, error)")
def get_job(job_id: int, session: SessionDep, principal: CurrentPrincipal) -> Job:
    return get_visible(session, Job, job_id, principal)


@router.post("/{job_id}/cancel", response_model=JobPublic, summary="Cancel a job (staff)")
def cancel_job(job_id: int, session: SessionDep, principal: CurrentPrincipal) -> Job:
    return service.cancel_job(session, principal=principal, job_id=job_id)
