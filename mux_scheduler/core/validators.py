"""Field checks shared by several schemas."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel


def check_time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Jakarta, Asia/Makassar)") from exc
    return value


def reject_nulls(model: BaseModel, *, nullable: frozenset[str] = frozenset()) -> None:
    """A PATCH body: a field left out keeps its value, ``null`` clears it. Only fields that
    may be empty (``nullable``) can be cleared; ``null`` elsewhere is a 422, not a crash on
    the database's NOT NULL."""
    refused = sorted(
        name
        for name in model.model_fields_set
        if getattr(model, name) is None and name not in nullable
    )
    if refused:
        raise ValueError(
            f"{', '.join(refused)} cannot be null; leave a field out to keep its value"
        )
