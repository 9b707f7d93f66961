"""Which rules apply on a broadcast date: validity ranges, explicit dates, RFC 5545 RRULEs
and date overrides that replace the weekly pattern."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

from dateutil.rrule import rrule, rruleset, rrulestr

from mux_scheduler.engine.inputs import (
    Block,
    DateOverride,
    EngineInputError,
    FillerPool,
    FixedEvent,
    MandatoryItem,
    Rule,
    RuleBase,
)

_OPEN_ANCHOR = date(2000, 1, 3)  # a Monday: a stable phase for open-ended INTERVAL rules


@dataclass(frozen=True, slots=True)
class DayRules:
    """The rules in force on one broadcast date, each list in a deterministic order."""

    fixed_events: tuple[FixedEvent, ...] = ()
    blocks: tuple[Block, ...] = ()
    filler_pools: tuple[FillerPool, ...] = ()
    mandatory: tuple[MandatoryItem, ...] = ()
    override_id: str | None = None


@lru_cache(maxsize=1024)
def _recurrence(text: str, anchor: date) -> rrule | rruleset:
    try:
        return rrulestr(text, dtstart=datetime.combine(anchor, time()), cache=True)
    except (ValueError, TypeError) as exc:
        raise EngineInputError(f"not an RFC 5545 RRULE: {text!r} ({exc})") from exc


def _occurs(text: str, anchor: date, day: date) -> bool:
    hit = _recurrence(text, anchor).after(datetime.combine(day, time()), inc=True)
    return hit is not None and hit.date() == day


def applies_on(rule: RuleBase, day: date, *, every_day_default: bool = True) -> bool:
    if rule.valid_from is not None and day < rule.valid_from:
        return False
    if rule.valid_until is not None and day > rule.valid_until:
        return False
    if rule.rrule is None and not rule.dates:
        return every_day_default
    if day in rule.dates:
        return True
    return rule.rrule is not None and _occurs(rule.rrule, rule.valid_from or _OPEN_ANCHOR, day)


def _by_precedence(rule: RuleBase) -> tuple[int, str]:
    return (-rule.priority, rule.rule_id)


def rules_for_day(rules: Sequence[Rule], day: date) -> DayRules:
    """Split the rules in force on ``day``; an applicable override replaces the pattern."""
    overrides = sorted(
        (
            r
            for r in rules
            if isinstance(r, DateOverride) and applies_on(r, day, every_day_default=False)
        ),
        key=_by_precedence,
    )
    regular: list[Rule] = [r for r in rules if not isinstance(r, DateOverride)]
    mandatory = [r for r in regular if isinstance(r, MandatoryItem) and applies_on(r, day)]
    pattern: list[Rule] = [r for r in regular if not isinstance(r, MandatoryItem)]
    override_id = None
    if overrides:
        chosen = overrides[0]
        override_id = chosen.rule_id
        own: list[Rule] = list(chosen.rules)
        keep_fillers = not any(isinstance(r, FillerPool) for r in own)
        pattern = own + [r for r in pattern if keep_fillers and isinstance(r, FillerPool)]
    active = [r for r in pattern if applies_on(r, day)]
    return DayRules(
        fixed_events=tuple(
            sorted((r for r in active if isinstance(r, FixedEvent)), key=_by_precedence)
        ),
        blocks=tuple(sorted((r for r in active if isinstance(r, Block)), key=_by_precedence)),
        filler_pools=tuple(
            sorted((r for r in active if isinstance(r, FillerPool)), key=_by_precedence)
        ),
        mandatory=tuple(sorted(mandatory, key=_by_precedence)),
        override_id=override_id,
    )
