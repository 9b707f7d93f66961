"""What every as-run parser returns, and the error that names the bad line or element."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ParsedEvent:
    """One as-run line, converted to the channel's clock; ``raw`` keeps the source text."""

    aired_at: datetime
    duration_frames: int
    house_id: str
    event_uid: str | None
    title: str
    raw: str
    location: str


class AsRunParseError(ValueError):
    """The log cannot be read; ``location`` says where (``line 12``, ``AsRunEvent 3``)."""

    def __init__(self, location: str, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message
