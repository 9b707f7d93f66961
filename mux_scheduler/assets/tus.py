"""Resumable uploads (tus 1.0 core + creation + termination).

The offset in the database only moves after the bytes before it are flushed and fsync'ed, so
after any interruption (dropped connection, killed server) the client resumes from an offset
whose bytes are really on disk; anything past it is cut off before the next append.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

from sqlmodel import Session, col, select

from mux_scheduler.assets import service
from mux_scheduler.assets.models import Asset, Upload
from mux_scheduler.assets.schemas import parse_asset_meta
from mux_scheduler.auth.access import Principal
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.errors import (
    AppError,
    Conflict,
    NotFound,
    PayloadTooLarge,
    ValidationFailed,
)
from mux_scheduler.core.settings import Settings
from mux_scheduler.storage import MediaStore, sha256_file

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination"
UPLOAD_LIFETIME = timedelta(hours=24)


class ChecksumMismatch(AppError):
    status = 460
    code = "checksum-mismatch"
    title = "Checksum mismatch"


def parse_metadata(header: str | None) -> dict[str, str]:
    """``Upload-Metadata: key base64value,key2 base64value2`` to a dict of text values."""
    values: dict[str, str] = {}
    for pair in (header or "").split(","):
        if not pair.strip():
            continue
        key, _, encoded = pair.strip().partition(" ")
        try:
            values[key] = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise ValidationFailed(
                f"Upload-Metadata value for {key!r} is not base64-encoded UTF-8.",
                errors=[{"loc": ["header", "Upload-Metadata", key], "msg": "invalid base64"}],
            ) from exc
    return values


def create(
    session: Session, *, settings: Settings, principal: Principal, length: int, metadata: str | None
) -> Upload:
    """Validate everything about the future asset before the first byte is sent."""
    values = parse_metadata(metadata)
    meta = parse_asset_meta(values)
    agency_id = service.upload_agency(session, principal, meta.agency_id)
    if length > settings.max_upload_bytes:
        raise PayloadTooLarge(
            f"Upload-Length {length} exceeds this server's limit of {settings.max_upload_bytes} "
            "bytes."
        )
    purge_expired(session, settings)
    store = MediaStore(settings.media_root)
    upload_id = uuid.uuid4().hex
    temp = store.tmp_dir / "tus" / f"{upload_id}.part"
    temp.parent.mkdir(parents=True, exist_ok=True)
    temp.touch()
    upload = Upload(
        id=upload_id,
        user_id=principal.user_id,
        agency_id=agency_id,
        length_bytes=length,
        meta=values,
        temp_path=store.relative(temp),
        expires_at=utcnow() + UPLOAD_LIFETIME,
    )
    session.add(upload)
    session.commit()
    return upload


async def append(
    session: Session,
    *,
    settings: Settings,
    upload: Upload,
    offset: int,
    chunks: AsyncIterator[bytes],
) -> Upload:
    """Append the request body at ``offset``; keeps what arrived if the connection drops."""
    if upload.completed_asset_id is not None or offset != upload.offset_bytes:
        raise Conflict(
            f"Upload-Offset {offset} does not match the upload's offset {upload.offset_bytes}; "
            "send HEAD to learn where to resume."
        )
    path = MediaStore(settings.media_root).path(upload.temp_path)
    received = 0
    with path.open("r+b") as handle:
        handle.truncate(offset)
        handle.seek(offset)
        try:
            async for chunk in chunks:
                if offset + received + len(chunk) > upload.length_bytes:
                    raise PayloadTooLarge(
                        f"More bytes than the declared Upload-Length ({upload.length_bytes})."
                    )
                handle.write(chunk)
                received += len(chunk)
        finally:
            handle.flush()
            os.fsync(handle.fileno())
            upload.offset_bytes = offset + received
            session.add(upload)
            session.commit()
    return upload


def complete(
    session: Session, *, settings: Settings, principal: Principal, upload: Upload
) -> Asset:
    """All bytes are in: check the optional ``sha256`` metadata, then create the asset."""
    store = MediaStore(settings.media_root)
    temp = store.path(upload.temp_path)
    digest = sha256_file(temp)
    expected = upload.meta.get("sha256", "").lower()
    if expected and expected != digest:
        _forget(session, store, upload)
        raise ChecksumMismatch(
            f"The received file's sha256 is {digest}, not {expected}; upload it again."
        )
    try:
        asset = service.ingest(
            session,
            settings=settings,
            principal=principal,
            meta=parse_asset_meta(upload.meta),
            agency_id=upload.agency_id,
            temp=temp,
            sha256=digest,
            size_bytes=upload.length_bytes,
            filename=upload.meta.get("filename", "upload"),
        )
    except AppError:
        _forget(session, store, upload)
        raise
    upload.completed_asset_id = asset.id
    session.add(upload)
    session.commit()
    return asset


def find(session: Session, principal: Principal, upload_id: str) -> Upload:
    upload = session.exec(
        select(Upload).where(col(Upload.id) == upload_id, service.upload_scope(principal))
    ).first()
    if upload is None or upload.expires_at < utcnow():
        raise NotFound(f"Upload {upload_id} does not exist, has expired or is not yours.")
    return upload


def terminate(session: Session, *, settings: Settings, upload: Upload) -> None:
    _forget(session, MediaStore(settings.media_root), upload)


def _forget(session: Session, store: MediaStore, upload: Upload) -> None:
    session.rollback()
    store.remove(upload.temp_path)
    merged = session.get(Upload, upload.id)
    if merged is not None:
        session.delete(merged)
        session.commit()


def purge_expired(session: Session, settings: Settings) -> None:
    store = MediaStore(settings.media_root)
    expired = session.exec(select(Upload).where(col(Upload.expires_at) < utcnow()))
    for upload in expired:
        if upload.completed_asset_id is None:
            with contextlib.suppress(FileNotFoundError):
                store.remove(upload.temp_path)
        session.delete(upload)
    session.flush()
