"""Airtime per agency as an inline SVG bar chart: no JavaScript, prints the same in a PDF."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from mux_scheduler.reports.schemas import AgencySummary

BAR_HEIGHT = 14
ROW_HEIGHT = 44
LABEL_WIDTH = 150
PLOT_WIDTH = 420
PLANNED_COLOUR = "#c9d6e8"
AIRED_COLOUR = "#1f5fa8"


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.2f} h"


def _row(index: int, summary: AgencySummary, scale: float) -> str:
    top = 24 + index * ROW_HEIGHT
    planned_w = summary.planned.seconds * scale
    aired_w = summary.aired.seconds * scale
    label = escape(summary.agency)
    return (
        f'<text x="0" y="{top + BAR_HEIGHT}" class="label">{label}</text>'
        f'<rect x="{LABEL_WIDTH}" y="{top}" width="{planned_w:.1f}" height="{BAR_HEIGHT}" '
        f'fill="{PLANNED_COLOUR}"><title>{label}: planned</title></rect>'
        f'<text x="{LABEL_WIDTH + planned_w + 4:.1f}" y="{top + BAR_HEIGHT - 3}" class="value">'
        f"{_hours(summary.planned.seconds)} planned</text>"
        f'<rect x="{LABEL_WIDTH}" y="{top + BAR_HEIGHT + 2}" width="{aired_w:.1f}" '
        f'height="{BAR_HEIGHT}" fill="{AIRED_COLOUR}"><title>{label}: aired</title></rect>'
        f'<text x="{LABEL_WIDTH + aired_w + 4:.1f}" y="{top + 2 * BAR_HEIGHT - 1}" class="value">'
        f"{_hours(summary.aired.seconds)} aired</text>"
    )


def airtime_chart(summaries: Sequence[AgencySummary]) -> Markup:
    """Planned (light) and as-run-confirmed (dark) airtime, one pair of bars per agency."""
    longest = max((s.planned.seconds for s in summaries), default=0.0) or 1.0
    scale = PLOT_WIDTH / longest
    height = 32 + ROW_HEIGHT * max(1, len(summaries))
    width = LABEL_WIDTH + PLOT_WIDTH + 110
    rows = "".join(_row(i, s, scale) for i, s in enumerate(summaries))
    legend = (
        f'<rect x="{LABEL_WIDTH}" y="2" width="10" height="10" fill="{PLANNED_COLOUR}"/>'
        f'<text x="{LABEL_WIDTH + 14}" y="11" class="value">planned</text>'
        f'<rect x="{LABEL_WIDTH + 80}" y="2" width="10" height="10" fill="{AIRED_COLOUR}"/>'
        f'<text x="{LABEL_WIDTH + 94}" y="11" class="value">aired (as-run)</text>'
    )
    return Markup(  # noqa: S704 - every text in it is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="Airtime per agency">'
        "<style>.label{font:12px sans-serif}.value{font:10px sans-serif;fill:#333}</style>"
        f"{legend}{rows}</svg>"
    )
