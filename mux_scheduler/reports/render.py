"""The report as CSV (one line per planned item), printable HTML, and PDF."""

from __future__ import annotations

import csv
import io
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from mux_scheduler.exports.formats.html_grid import print_pdf
from mux_scheduler.reports.chart import airtime_chart
from mux_scheduler.reports.schemas import AiringRow, AiringsReport

CSV_COLUMNS = (
    "channel", "broadcast_date", "planned_start_at", "house_id", "title", "agency", "item_type",
    "classification", "source", "campaign_ids", "planned_duration", "status", "aired_at",
    "aired_duration", "offset_frames", "shortfall_frames", "window_compliant",
)  # fmt: skip
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula is prefixed with ``'``; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool | int):
        return value
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _cells(row: AiringRow) -> list[object]:
    data = row.model_dump(mode="json")
    data["campaign_ids"] = " ".join(str(c) for c in row.campaign_ids)
    return [safe_cell(data[name]) for name in CSV_COLUMNS]


def render_csv(report: AiringsReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_cells(row) for row in report.items)
    return out.getvalue()


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("mux_scheduler.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: AiringsReport, *, agency_name: str = "", campaign_name: str = "") -> str:
    return (
        _environment()
        .get_template("airings.html.j2")
        .render(
            report=report,
            chart=airtime_chart(report.agencies),
            agency_name=agency_name,
            campaign_name=campaign_name,
            generated_at=report.generated_at.isoformat(timespec="seconds"),
        )
    )


def render_pdf(html: str) -> bytes:
    return print_pdf(html, "airings.pdf")
