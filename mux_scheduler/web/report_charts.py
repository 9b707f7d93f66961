"""Horizontal bar charts as inline SVG, drawn on the server (no chart library, no script).

Colours come from classes in ``static/css/library.css`` (the page's CSP allows no inline
style); every bar carries its value as text too, so the chart reads without colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from mux_scheduler.reports.schemas import AgencySummary, CampaignSummary

LABEL_WIDTH = 190
PLOT_WIDTH = 430
VALUE_WIDTH = 150
BAR_HEIGHT = 16
BAR_GAP = 3
GROUP_GAP = 14


@dataclass(frozen=True)
class Bar:
    kind: str  # planned | aired | target: the CSS class chart__<kind>
    value: float
    text: str


@dataclass(frozen=True)
class Group:
    label: str
    bars: Sequence[Bar]


def _group_height(group: Group) -> int:
    return len(group.bars) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP


def _group_svg(group: Group, top: int, scale: float) -> str:
    parts = [
        f'<text x="0" y="{top + BAR_HEIGHT - 3}">{escape(group.label[:28])}'
        f"<title>{escape(group.label)}</title></text>"
    ]
    for index, bar in enumerate(group.bars):
        y = top + index * (BAR_HEIGHT + BAR_GAP)
        width = max(bar.value * scale, 1.0 if bar.value else 0.0)
        parts.append(
            f'<rect class="chart__{bar.kind}" x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" '
            f'height="{BAR_HEIGHT}"><title>{escape(bar.text)}</title></rect>'
            f'<text class="chart__value" x="{LABEL_WIDTH + width + 6:.1f}" '
            f'y="{y + BAR_HEIGHT - 4}">{escape(bar.text)}</text>'
        )
    return "".join(parts)


def bar_chart(groups: Sequence[Group], *, title: str, testid: str) -> Markup:
    largest = max((bar.value for g in groups for bar in g.bars), default=0.0) or 1.0
    scale = PLOT_WIDTH / largest
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    body, top = [], 4
    for group in groups:
        body.append(_group_svg(group, top, scale))
        top += _group_height(group)
    height = max(top, 30)
    axis = f'<line class="chart__axis" x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height}"/>'
    return Markup(  # noqa: S704 - every text in it is escaped above
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{escape(title)}" '
        f'data-testid="{escape(testid)}"><title>{escape(title)}</title>{axis}{"".join(body)}</svg>'
    )


def hours_text(seconds: float, unit: str) -> str:
    return f"{seconds / 3600:.2f} {unit}" if seconds >= 360 else f"{seconds / 60:.1f} min"


def airtime_groups(
    summaries: Sequence[AgencySummary], *, planned: str, aired: str, hour: str
) -> list[Group]:
    """Planned and as-run-confirmed airtime per agency (``planned``/``aired`` are labels)."""
    return [
        Group(
            s.agency,
            [
                Bar(
                    "planned",
                    s.planned.seconds,
                    f"{planned}: {hours_text(s.planned.seconds, hour)}",
                ),
                Bar("aired", s.aired.seconds, f"{aired}: {hours_text(s.aired.seconds, hour)}"),
            ],
        )
        for s in summaries
    ]


def campaign_groups(
    campaigns: Sequence[CampaignSummary], *, target: str, planned: str, aired: str
) -> list[Group]:
    """Airings a campaign asked for over the period, against planned and confirmed airings."""
    groups = []
    for campaign in campaigns:
        wanted = sum(day.target_per_day for day in campaign.days)
        scheduled = sum(day.planned for day in campaign.days)
        confirmed = sum(day.aired for day in campaign.days)
        groups.append(
            Group(
                campaign.name,
                [
                    Bar("target", wanted, f"{target}: {wanted}"),
                    Bar("planned", scheduled, f"{planned}: {scheduled}"),
                    Bar("aired", confirmed, f"{aired}: {confirmed}"),
                ],
            )
        )
    return groups
