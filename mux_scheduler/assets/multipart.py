"""Streaming ``multipart/form-data`` for uploads: the ``file`` part goes straight to disk.

Starlette's form parser would spool the file itself and copy it again; here each chunk of the
request body is parsed once, hashed and written to our temporary file, so memory stays flat
whatever the file size.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from mux_scheduler.core.errors import PayloadTooLarge, ValidationFailed
from mux_scheduler.storage import IncomingFile

FILE_FIELD = "file"
MAX_FIELD_BYTES = 64 * 1024
MAX_FIELDS = 50


@dataclass
class ParsedUpload:
    fields: dict[str, str] = field(default_factory=dict)
    filename: str | None = None


class _Collector:
    def __init__(self, incoming: IncomingFile) -> None:
        self.incoming = incoming
        self.result = ParsedUpload()
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._is_file = False
        self._value = bytearray()

    def on_part_begin(self) -> None:
        self._headers = {}
        self._value = bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        self._is_file = self._name == FILE_FIELD
        if self._is_file:
            if self.result.filename is not None:
                raise ValidationFailed("Send exactly one file per upload.")
            self.result.filename = options.get(b"filename", b"upload").decode("utf-8", "replace")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._is_file:
            self.incoming.write(data[start:end])
            return
        self._value += data[start:end]
        if len(self._value) > MAX_FIELD_BYTES:
            raise PayloadTooLarge(f"Form field {self._name!r} is too long.")

    def on_part_end(self) -> None:
        if self._is_file or not self._name:
            return
        if len(self.result.fields) >= MAX_FIELDS:
            raise ValidationFailed("Too many form fields.")
        self.result.fields[self._name] = self._value.decode("utf-8", "replace")


def boundary_of(content_type: str) -> bytes:
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise ValidationFailed(
            "Send the upload as multipart/form-data with a 'file' part and metadata fields, "
            "or use the resumable /api/v1/uploads (tus) endpoint.",
            errors=[{"loc": ["header", "content-type"], "msg": "multipart/form-data expected"}],
        )
    return boundary


async def receive_multipart(
    chunks: AsyncIterator[bytes], content_type: str, incoming: IncomingFile
) -> ParsedUpload:
    """Parse the request body; the ``file`` part is written to ``incoming`` as it arrives."""
    collector = _Collector(incoming)
    parser = MultipartParser(
        boundary_of(content_type),
        {
            "on_part_begin": collector.on_part_begin,
            "on_header_field": collector.on_header_field,
            "on_header_value": collector.on_header_value,
            "on_header_end": collector.on_header_end,
            "on_headers_finished": collector.on_headers_finished,
            "on_part_data": collector.on_part_data,
            "on_part_end": collector.on_part_end,
        },
    )
    try:
        async for chunk in chunks:
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise ValidationFailed(f"The multipart body is malformed: {exc}") from exc
    if collector.result.filename is None:
        raise ValidationFailed(
            "The upload has no 'file' part.",
            errors=[{"loc": ["body", FILE_FIELD], "msg": "required"}],
        )
    return collector.result
