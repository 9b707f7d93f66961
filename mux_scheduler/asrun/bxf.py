"""BXF (SMPTE ST 2021) AsRun messages, read leniently.

Playout systems deviate from the schema in many small ways, so elements are found by local
name (namespace or none), at any depth inside an event, and each field accepts the forms seen
in the field: ``EventId`` as ``urn:uuid:…`` or bare, start as ``SmpteDateTime broadcastDate``
+ time-of-day ``SmpteTimeCode`` or an ISO 8601 date-time, duration as SMPTE timecode or
ISO 8601 ``PT…``. What cannot be read is reported with the event's number.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from mux_scheduler.asrun.clock import (
    ChannelClock,
    normalise_event_uid,
    read_clock,
    read_duration,
    read_iso_instant,
)
from mux_scheduler.asrun.parsed import AsRunParseError, ParsedEvent
from mux_scheduler.core.timecode import TimecodeError

EVENT_TAGS = ("AsRunEvent", "AsRunDetail")
START_TAGS = ("ActualStartDateTime", "AsRunStartDateTime", "StartDateTime", "StartTime")
DURATION_TAGS = ("ActualDuration", "AsRunDuration", "Duration")
TITLE_TAGS = ("Name", "ProgramName", "Title")
# The planned media length lives under Media; it is not what aired.
SKIP_FOR_DURATION = ("Media", "MediaLocation")
RAW_LIMIT = 4000


def _local(tag: object) -> str:
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1]


def _walk(element: Element, skip: tuple[str, ...] = ()) -> Iterator[Element]:
    for child in element:
        if _local(child.tag) in skip:
            continue
        yield child
        yield from _walk(child, skip)


def _first(element: Element, names: tuple[str, ...], skip: tuple[str, ...] = ()) -> Element | None:
    found = {}
    for node in _walk(element, skip):
        name = _local(node.tag)
        if name in names and name not in found:
            found[name] = node
    return next((found[name] for name in names if name in found), None)


def _text(element: Element | None) -> str:
    if element is None:
        return ""
    return "".join(element.itertext()).strip()


def _leaf_text(element: Element | None, name: str) -> str:
    """Text of the innermost ``name`` (``<EventId><EventId>x</EventId></EventId>``)."""
    if element is None:
        return ""
    nested = [n for n in _walk(element) if _local(n.tag) == name]
    return _text(nested[-1]) if nested else _text(element)


def _start(event: Element, clock: ChannelClock) -> datetime:
    holder = _first(event, START_TAGS)
    if holder is None:
        raise ValueError(f"no start time (one of {', '.join(START_TAGS)})")
    smpte = _first(holder, ("SmpteDateTime",))
    if smpte is not None:
        broadcast_date = smpte.get("broadcastDate")
        timecode = _text(_first(smpte, ("SmpteTimeCode",))) or _text(smpte)
        if not broadcast_date:
            raise ValueError("SmpteDateTime has no broadcastDate attribute")
        frames = read_clock(timecode, clock)
        return clock.broadcast_instant(date.fromisoformat(broadcast_date.strip()), frames)
    return read_iso_instant(_text(holder), clock)


def _duration(event: Element, clock: ChannelClock) -> int:
    holder = _first(event, DURATION_TAGS, SKIP_FOR_DURATION)
    if holder is None:
        raise ValueError(f"no duration (one of {', '.join(DURATION_TAGS)})")
    timecode = _first(holder, ("SmpteTimeCode",))
    return read_duration(_text(timecode) if timecode is not None else _text(holder), clock)


def _event(element: Element, clock: ChannelClock, location: str) -> ParsedEvent:
    try:
        aired_at = _start(element, clock)
        duration_frames = _duration(element, clock)
    except (ValueError, TimecodeError) as exc:
        raise AsRunParseError(location, str(exc)) from exc
    house = _first(element, ("HouseNumber",))
    return ParsedEvent(
        aired_at=aired_at,
        duration_frames=duration_frames,
        house_id=_text(house)[:100],
        event_uid=normalise_event_uid(_leaf_text(_first(element, ("EventId",)), "EventId")),
        title=_text(_first(element, TITLE_TAGS))[:300],
        raw=tostring(element, encoding="unicode")[:RAW_LIMIT],
        location=location,
    )


def parse_bxf_asrun(data: bytes, clock: ChannelClock) -> list[ParsedEvent]:
    try:
        root = fromstring(data, forbid_dtd=True)
    except ParseError as exc:
        line, column = exc.position
        raise AsRunParseError(f"line {line}", f"not well-formed XML (column {column})") from exc
    except DefusedXmlException as exc:
        raise AsRunParseError("line 1", "DTDs and entities are not accepted") from exc
    if _local(root.tag) != "BxfMessage":
        raise AsRunParseError("root", f"expected BxfMessage, found {_local(root.tag)}")
    for tag in EVENT_TAGS:
        elements = [node for node in root.iter() if _local(node.tag) == tag]
        if elements:
            return [_event(el, clock, f"{tag} {n}") for n, el in enumerate(elements, start=1)]
    raise AsRunParseError("BxfData", "no AsRunEvent elements")
