"""Database rows and API specs -> the engine's input values (and back for the report)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict
from datetime import date, datetime, time
from typing import Any, get_args

from mux_scheduler import engine
from mux_scheduler.scheduling.models import Campaign, PlaylistEdit, ScheduleRule


def _time(value: str | time) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


def _pool(spec: Mapping[str, Any] | None) -> engine.PoolFilter:
    spec = spec or {}
    campaign = spec.get("campaign_id")
    return engine.PoolFilter(
        kinds=tuple(spec.get("kinds", ())),
        tags=tuple(spec.get("tags", ())),
        campaign_id=None if campaign is None else str(campaign),
        agency_ids=tuple(spec.get("agency_ids", ())),
        asset_ids=tuple(spec.get("asset_ids", ())),
    )


def _breaks(spec: Mapping[str, Any] | None) -> engine.BreakPattern | None:
    if not spec:
        return None
    return engine.BreakPattern(
        break_frames=int(spec["break_frames"]),
        every_minutes=spec.get("every_minutes"),
        pool=_pool(spec.get("pool", {"kinds": ["ilm"]})),
        order=spec.get("order", "lru"),
    )


def _live(spec: Mapping[str, Any] | None) -> engine.LivePlaceholder | None:
    if not spec:
        return None
    return engine.LivePlaceholder(
        title=spec["title"],
        duration_frames=int(spec["duration_frames"]),
        house_id=spec.get("house_id", "LIVE"),
        agency_id=spec.get("agency_id"),
        classification=spec.get("classification", "SU"),
    )


def _dates(values: Iterable[str | date]) -> tuple[date, ...]:
    return tuple(v if isinstance(v, date) else date.fromisoformat(v) for v in values)


TagResolver = Callable[[str], int | None]


def _no_tags(_tag: str) -> int | None:
    return None


def rule_from_spec(
    spec: Mapping[str, Any], common: dict[str, Any], resolve_tag: TagResolver = _no_tags
) -> (
    engine.FixedEvent
    | engine.Block
    | engine.FillerPool
    | engine.MandatoryItem
    | engine.DateOverride
):
    kind = spec["kind"]
    if kind == "fixed_event":
        return engine.FixedEvent(
            **common,
            at=_time(spec["at"]),
            asset_id=spec.get("asset_id"),
            live=_live(spec.get("live")),
            start_mode=spec.get("start_mode", "fixed"),
        )
    if kind == "block":
        return engine.Block(
            **common,
            start=_time(spec["start"]),
            end=_time(spec["end"]),
            pool=_pool(spec.get("pool")),
            order=spec.get("order", "sequential"),
            breaks=_breaks(spec.get("breaks")),
        )
    if kind == "filler_pool":
        return engine.FillerPool(**common, pool=_pool(spec.get("pool")))
    if kind == "mandatory":
        asset_id = spec.get("asset_id")
        if asset_id is None:
            # No asset carries the tag yet: 0 is never an asset, so the report names the gap.
            asset_id = resolve_tag(spec["tag"]) or 0
        return engine.MandatoryItem(**common, asset_id=int(asset_id), at=_time(spec["at"]))
    if kind == "date_override":
        inner = []
        for index, nested in enumerate(spec.get("rules", [])):
            nested_common = {
                "rule_id": f"{common['rule_id']}.{index}",
                "priority": nested.get("priority", 0),
            }
            rule = rule_from_spec(nested["spec"], nested_common)
            assert isinstance(rule, engine.FixedEvent | engine.Block | engine.FillerPool)
            inner.append(rule)
        return engine.DateOverride(**common, rules=tuple(inner))
    raise ValueError(f"unknown rule kind {kind!r}")


def rule_to_engine(row: ScheduleRule, resolve_tag: TagResolver = _no_tags) -> engine.Rule:
    common = {
        "rule_id": str(row.id),
        "priority": row.priority,
        "valid_from": row.valid_from,
        "valid_until": row.valid_until,
        "rrule": row.rrule,
        "dates": _dates(row.dates),
    }
    return rule_from_spec(row.spec, common, resolve_tag)


def campaign_to_engine(row: Campaign) -> engine.Campaign:
    return engine.Campaign(
        campaign_id=str(row.id),
        asset_ids=tuple(row.asset_ids),
        target_per_day=row.target_per_day,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        windows=tuple(engine.WallWindow(_time(w["start"]), _time(w["end"])) for w in row.windows),
        priority=row.priority,
    )


def constraints_from_channel(config: Mapping[str, Any]) -> engine.Constraints:
    """Per-channel overrides on top of the KPI defaults (only the keys a channel sets)."""
    fields: dict[str, Any] = {}
    for key in ("hard_windows", "recommended_windows"):
        if key in config:
            fields[key] = {
                cls: tuple(engine.WallWindow(_time(w["start"]), _time(w["end"])) for w in windows)
                for cls, windows in config[key].items()
            }
    for key in (
        "asset_separation_minutes",
        "avoid_agency_back_to_back",
        "max_agency_share_percent",
    ):
        if key in config:
            fields[key] = config[key]
    return engine.Constraints(**fields)


def locked_from_edits(edits: Iterable[PlaylistEdit]) -> list[engine.LockedItem]:
    locked = []
    for edit in edits:
        if edit.op != "lock" or edit.start_frames is None or edit.duration_frames is None:
            continue
        locked.append(
            engine.LockedItem(
                start_frames=edit.start_frames,
                duration_frames=edit.duration_frames,
                asset_id=edit.asset_id,
                title=edit.title,
                item_type=edit.item_type,
                som_frames=edit.som_frames,
            )
        )
    return locked


def history_to_json(history: engine.History) -> dict[str, Any]:
    return {
        "last_aired_end_at": {str(k): v.isoformat() for k, v in history.last_aired_end_at.items()},
        "block_cursors": dict(history.block_cursors),
        "shuffle_played": {k: list(v) for k, v in history.shuffle_played.items()},
    }


def history_from_json(data: Mapping[str, Any]) -> engine.History:
    return engine.History(
        last_aired_end_at={
            int(k): datetime.fromisoformat(v) for k, v in data.get("last_aired_end_at", {}).items()
        },
        block_cursors={k: int(v) for k, v in data.get("block_cursors", {}).items()},
        shuffle_played={k: tuple(v) for k, v in data.get("shuffle_played", {}).items()},
    )


def report_to_json(report: engine.Report) -> dict[str, Any]:
    return {
        "violations": [{**asdict(v), "params": dict(v.params)} for v in report.violations],
        "campaigns": [
            {**asdict(c), "met": c.met, "shortfall": c.shortfall} for c in report.campaigns
        ],
        "agency_airtime_frames": {str(k): v for k, v in report.agency_airtime_frames.items()},
        "frames_by_item_type": dict(report.frames_by_item_type),
        "total_frames": report.total_frames,
        "item_count": report.item_count,
        "publish_blockers": len(report.publish_blockers),
    }


_CLASSES: dict[str, engine.Classification] = {c: c for c in get_args(engine.Classification)}


def classification(value: str) -> engine.Classification:
    return _CLASSES.get(value, "SU")
