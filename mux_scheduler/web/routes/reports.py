"""Proof of airing: planned against as-run-confirmed airings per agency and campaign, with
server-drawn charts and links to the CSV/PDF renderings of the same report in the API."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from sqlmodel import col, select
from starlette.responses import Response

from mux_scheduler.agencies.models import Agency
from mux_scheduler.auth.access import scope
from mux_scheduler.auth.models import Role
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.deps import SessionDep
from mux_scheduler.core.errors import ValidationFailed
from mux_scheduler.reports import collect
from mux_scheduler.reports.airings import build_report
from mux_scheduler.reports.schemas import AiringsReport
from mux_scheduler.scheduling.models import Campaign
from mux_scheduler.web.deps import SignedInDep, Viewer
from mux_scheduler.web.i18n import N_
from mux_scheduler.web.report_charts import airtime_groups, bar_chart, campaign_groups
from mux_scheduler.web.texts import plain, translate

router = APIRouter(prefix="/reports")
DEFAULT_DAYS = 7
REPORT_ZONE = ZoneInfo("Asia/Jakarta")  # default period only; each day is the channel's own
DAY_STATUSES = (N_("planned (no as-run yet)"), N_("reconciled"), N_("no published playlist"))


def _charts(viewer: Viewer, report: AiringsReport) -> dict[str, object]:
    def t(message: str) -> str:
        return translate(viewer.locale, message)

    planned, aired = t("planned"), t("aired (as-run)")
    airtime = airtime_groups(report.agencies, planned=planned, aired=aired, hour=t("h"))
    campaigns = campaign_groups(report.campaigns, target=t("target"), planned=planned, aired=aired)
    return {
        "airtime_chart": bar_chart(airtime, title=t("Airtime per agency"), testid="airtime-chart")
        if airtime
        else None,
        "campaign_chart": bar_chart(
            campaigns, title=t("Campaign targets and airings"), testid="campaign-chart"
        )
        if campaigns
        else None,
    }


def _download_url(
    date_from: date, date_to: date, agency: int | None, campaign: int | None, fmt: str
) -> str:
    params: dict[str, str] = {"from": date_from.isoformat(), "to": date_to.isoformat()}
    if agency is not None:
        params["agency"] = str(agency)
    if campaign is not None:
        params["campaign"] = str(campaign)
    params["format"] = fmt
    return "/api/v1/reports/airings?" + urlencode(params)


@router.get("")
def reports_page(
    viewer: SignedInDep,
    session: SessionDep,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    agency_text: Annotated[str, Query(alias="agency", max_length=12)] = "",
    campaign_text: Annotated[str, Query(alias="campaign", max_length=12)] = "",
) -> Response:
    """``agency``/``campaign`` come from selects whose "all" option is an empty string."""
    principal = viewer.signed_in
    agency = int(agency_text) if agency_text.isdigit() else None
    campaign = int(campaign_text) if campaign_text.isdigit() else None
    date_to = date_to or utcnow().astimezone(REPORT_ZONE).date()
    date_from = date_from or date_to - timedelta(days=DEFAULT_DAYS - 1)
    if principal.role == Role.AGENCY_EDITOR:
        agency = principal.agency_id
    report, problem = None, None
    try:
        data = collect.load(
            session,
            principal=principal,
            date_from=date_from,
            date_to=date_to,
            agency_id=agency,
            campaign_id=campaign,
        )
        report = build_report(data, generated_at=utcnow())
    except ValidationFailed as exc:
        problem = exc.detail
    agencies = list(session.exec(scope(Agency, principal).order_by(col(Agency.short_name))))
    campaigns = list(
        session.exec(
            select(Campaign)
            .where(col(Campaign.valid_until) >= date_from - timedelta(days=366))
            .order_by(col(Campaign.name))
        )
    )
    return viewer.render(
        "reports/index.html",
        active="reports",
        report=report,
        problem=problem,
        date_from=date_from,
        date_to=date_to,
        agency=agency,
        campaign=campaign,
        agencies=agencies,
        campaigns=campaigns,
        editor=principal.role == Role.AGENCY_EDITOR,
        plain_status=plain(viewer.locale),
        csv_url=_download_url(date_from, date_to, agency, campaign, "csv"),
        pdf_url=_download_url(date_from, date_to, agency, campaign, "pdf"),
        **(_charts(viewer, report) if report else {"airtime_chart": None, "campaign_chart": None}),
    )
