"""The asset library: search and filters, asset detail with live processing, approval queue,
review actions and the resumable (tus) upload page.

Reads go through ``library_views`` (scoped queries); every change calls ``assets.review``, the
same service as the REST API. Uploads go from the browser straight to ``/api/v1/uploads``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from starlette.responses import RedirectResponse, Response

from mux_scheduler.assets import review
from mux_scheduler.auth.models import Role
from mux_scheduler.core.deps import SessionDep
from mux_scheduler.core.errors import AppError, Forbidden, ValidationFailed
from mux_scheduler.web.asset_labels import (
    APPROVAL_STATES,
    ASSET_KINDS,
    ASSET_STATUSES,
    CLASSIFICATIONS,
    TEMPLATE_LABELS,
)
from mux_scheduler.web.deps import SignedInDep, Viewer
from mux_scheduler.web.i18n import N_
from mux_scheduler.web.library_views import (
    PAGE_SIZE,
    LibraryFilters,
    agencies_for_filter,
    approval_queue,
    asset_live,
    library_rows,
    user_names,
)
from mux_scheduler.web.session import safe_next
from mux_scheduler.web.texts import plain, translate

router = APIRouter(prefix="/library")

# Big enough that a large master needs few requests, small enough that a dropped connection
# costs little; the page carries it as data-chunk-bytes (tests shrink it to see a resume).
UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024
NEEDS_COMMENT = N_("Write a comment telling the agency what to change before rejecting.")
OptionalQuery = Annotated[str | None, Query(max_length=100)]
FormStr = Annotated[str, Form()]


def render(viewer: Viewer, template: str, **context: Any) -> Response:
    """``viewer.render`` with the asset words and roles every library template uses."""
    words: dict[str, Any] = {**TEMPLATE_LABELS, "plain": plain(viewer.locale)}
    return viewer.render(template, roles=Role, page_size=PAGE_SIZE, **words, **context)


@router.get("")
def library(
    viewer: SignedInDep,
    session: SessionDep,
    q: OptionalQuery = None,
    kind: OptionalQuery = None,
    approval: OptionalQuery = None,
    status: OptionalQuery = None,
    agency: OptionalQuery = None,
) -> Response:
    principal = viewer.signed_in
    filters = LibraryFilters.of(q, kind, approval, status, agency)
    return render(
        viewer,
        "library/index.html",
        active="library",
        rows=library_rows(session, principal, filters),
        filters=filters,
        agencies=agencies_for_filter(session, principal) if principal.is_staff else [],
        kinds=ASSET_KINDS,
        approval_states=APPROVAL_STATES,
        statuses=ASSET_STATUSES,
        queue_size=len(approval_queue(session, principal)) if principal.is_staff else 0,
    )


@router.get("/approvals")
def approvals(viewer: SignedInDep, session: SessionDep) -> Response:
    viewer.signed_in.require(Role.ADMIN, Role.PROGRAMMER)
    rows = approval_queue(session, viewer.signed_in)
    return render(viewer, "library/approvals.html", active="library", rows=rows)


@router.get("/upload")
def upload_page(viewer: SignedInDep, session: SessionDep) -> Response:
    principal = viewer.signed_in
    if principal.role == Role.OPERATOR:
        raise Forbidden("Operator accounts cannot upload content.")
    return render(
        viewer,
        "library/upload.html",
        active="library",
        agencies=agencies_for_filter(session, principal) if principal.is_staff else [],
        kinds=ASSET_KINDS,
        classifications=CLASSIFICATIONS,
        chunk_bytes=UPLOAD_CHUNK_BYTES,
    )


def render_asset(
    viewer: Viewer,
    session: SessionDep,
    asset_id: int,
    *,
    problem: str | None = None,
    comment: str = "",
    status_code: int = 200,
) -> Response:
    principal = viewer.signed_in
    live = asset_live(session, principal, asset_id)
    asset = live.row.asset
    names = user_names(session, principal, {asset.uploaded_by_id, asset.reviewer_id})
    return render(
        viewer,
        "library/detail.html",
        active="library",
        live=live,
        names=names,
        problem=problem,
        comment=comment,
        status_code=status_code,
    )


@router.get("/{asset_id}")
def asset_detail(asset_id: int, viewer: SignedInDep, session: SessionDep) -> Response:
    return render_asset(viewer, session, asset_id)


@router.get("/{asset_id}/live")
def asset_live_fragment(asset_id: int, viewer: SignedInDep, session: SessionDep) -> Response:
    """Polled by htmx every 2 s while the file is analysed and converted."""
    live = asset_live(session, viewer.signed_in, asset_id)
    return render(viewer, "library/_live.html", live=live)


def _back(next_path: str, asset_id: int) -> Response:
    target = safe_next(next_path, default=f"/library/{asset_id}")
    if not target.startswith("/library"):
        target = f"/library/{asset_id}"
    return RedirectResponse(target, status_code=303)


@router.post("/{asset_id}/submit")
def submit(
    asset_id: int,
    viewer: SignedInDep,
    session: SessionDep,
    next_path: Annotated[str, Form(alias="next")] = "",
) -> Response:
    try:
        review.submit(session, principal=viewer.signed_in, asset_id=asset_id)
    except AppError as exc:
        return render_asset(viewer, session, asset_id, problem=exc.detail, status_code=exc.status)
    return _back(next_path, asset_id)


@router.post("/{asset_id}/approve")
def approve(
    asset_id: int,
    viewer: SignedInDep,
    session: SessionDep,
    comment: FormStr = "",
    next_path: Annotated[str, Form(alias="next")] = "",
) -> Response:
    try:
        review.approve(
            session, principal=viewer.signed_in, asset_id=asset_id, comment=comment or None
        )
    except AppError as exc:
        return render_asset(viewer, session, asset_id, problem=exc.detail, status_code=exc.status)
    return _back(next_path, asset_id)


@router.post("/{asset_id}/reject")
def reject(
    asset_id: int,
    viewer: SignedInDep,
    session: SessionDep,
    comment: FormStr = "",
    next_path: Annotated[str, Form(alias="next")] = "",
) -> Response:
    try:
        review.reject(session, principal=viewer.signed_in, asset_id=asset_id, comment=comment)
    except ValidationFailed:
        problem = translate(viewer.locale, NEEDS_COMMENT)
        return render_asset(viewer, session, asset_id, problem=problem, status_code=422)
    except AppError as exc:
        return render_asset(
            viewer, session, asset_id, problem=exc.detail, comment=comment, status_code=exc.status
        )
    return _back(next_path, asset_id)
