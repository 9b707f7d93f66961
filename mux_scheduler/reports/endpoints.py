"""GET /reports/airings: proof of airing per agency and campaign, as JSON, CSV, HTML or PDF."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from mux_scheduler.core.db import utcnow
from mux_scheduler.core.deps import CurrentPrincipal, SessionDep
from mux_scheduler.reports import collect
from mux_scheduler.reports.airings import build_report
from mux_scheduler.reports.render import render_csv, render_html, render_pdf
from mux_scheduler.reports.schemas import AiringsReport

router = APIRouter(tags=["reports"])


_FILE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


@router.get(
    "/reports/airings",
    response_model=AiringsReport,
    summary="Proof of airing: planned vs aired per agency and campaign",
    responses={200: {"content": {media: {} for media in _FILE_TYPES.values()}}},
)
def airings_report(
    session: SessionDep,
    principal: CurrentPrincipal,
    date_from: Annotated[date, Query(alias="from", description="first broadcast date")],
    date_to: Annotated[date, Query(alias="to", description="last broadcast date (inclusive)")],
    agency: int | None = None,
    campaign: int | None = None,
    format: Literal["json", "csv", "html", "pdf"] = "json",
) -> AiringsReport | Response:
    data = collect.load(
        session,
        principal=principal,
        date_from=date_from,
        date_to=date_to,
        agency_id=agency,
        campaign_id=campaign,
    )
    report = build_report(data, generated_at=utcnow())
    if format == "json":
        return report
    name = f"airings_{date_from.isoformat()}_{date_to.isoformat()}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "csv":
        return Response(render_csv(report), media_type=_FILE_TYPES["csv"], headers=headers)
    html = render_html(
        report,
        agency_name=data.agencies.get(data.agency_id, "") if data.agency_id else "",
        campaign_name=data.campaign.name if data.campaign else "",
    )
    if format == "html":
        return Response(html, media_type=_FILE_TYPES["html"])
    return Response(render_pdf(html), media_type=_FILE_TYPES["pdf"], headers=headers)
