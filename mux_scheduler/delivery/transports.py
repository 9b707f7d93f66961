"""How an export file reaches an operator: a folder, an SFTP server or an HTTP endpoint.

Every transport makes the file appear whole or not at all at the far end: folders and SFTP
write a temporary name and rename it into place; HTTP is one request that succeeds on 2xx.
Secrets (SSH key, password, HTTP token) come from settings, never from the stored target.
"""

from __future__ import annotations

import contextlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import httpx
import paramiko

from mux_scheduler.core.settings import Settings
from mux_scheduler.exports.writer import atomic_write

KINDS = ("folder", "sftp", "http")
RAW_PREFIX = "raw+"


RETRYABLE_HTTP = frozenset({408, 425, 429})


class TransportError(Exception):
    """One attempt failed; the message is recorded. ``permanent`` errors (an unknown host
    key, refused credentials, a 4xx answer) are not retried: only a person can fix them."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Payload:
    file_name: str
    content: bytes
    media_type: str
    sha256: str


class Transport(Protocol):
    def send(self, payload: Payload) -> None: ...


@dataclass(frozen=True)
class FolderTransport:
    folder: Path

    def send(self, payload: Payload) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write(self.folder / payload.file_name, payload.content)


@dataclass(frozen=True)
class SftpTransport:
    """``sftp://user@host:port/remote/folder``; host keys must be known (no trust on first use)."""

    url: str
    settings: Settings

    def send(self, payload: Payload) -> None:
        parts = urlsplit(self.url)
        if parts.scheme != "sftp" or not parts.hostname or not parts.username:
            raise TransportError(f"SFTP target must look like sftp://user@host/folder: {self.url}")
        folder = unquote(parts.path) or "."
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        timeout = self.settings.delivery_timeout_seconds
        try:
            if self.settings.sftp_known_hosts is not None:
                client.load_host_keys(str(self.settings.sftp_known_hosts))
            else:
                client.load_system_host_keys()
            client.connect(
                parts.hostname,
                port=parts.port or 22,
                username=unquote(parts.username),
                key_filename=str(self.settings.sftp_key_file)
                if self.settings.sftp_key_file
                else None,
                password=self.settings.sftp_password,
                timeout=timeout,
                banner_timeout=timeout,
                auth_timeout=timeout,
                allow_agent=False,
                look_for_keys=False,
            )
            with client.open_sftp() as sftp:
                sftp.get_channel().settimeout(timeout)  # type: ignore[union-attr]
                _upload(sftp, folder, payload)
        except (paramiko.AuthenticationException, paramiko.BadHostKeyException) as exc:
            raise TransportError(f"SFTP {parts.hostname}: {exc}", permanent=True) from exc
        except (paramiko.SSHException, OSError) as exc:
            message = str(exc) or type(exc).__name__
            # RejectPolicy reports an unknown host key as a plain SSHException.
            unknown_host = "not found in known_hosts" in message
            raise TransportError(
                f"SFTP {parts.hostname}: {message}", permanent=unknown_host
            ) from exc
        finally:
            client.close()


def _upload(sftp: paramiko.SFTPClient, folder: str, payload: Payload) -> None:
    final = f"{folder.rstrip('/')}/{payload.file_name}"
    temp = f"{folder.rstrip('/')}/.{payload.file_name}.{uuid.uuid4().hex[:8]}.part"
    sftp.putfo(io.BytesIO(payload.content), temp, file_size=len(payload.content), confirm=True)
    try:
        sftp.posix_rename(temp, final)
    except OSError:
        # Servers without the posix-rename extension refuse to rename over a file.
        with contextlib.suppress(FileNotFoundError):
            sftp.remove(final)
        sftp.rename(temp, final)


@dataclass(frozen=True)
class HttpTransport:
    """``https://...`` POSTs multipart (field ``file``); ``raw+https://...`` POSTs the bytes."""

    url: str
    settings: Settings

    def send(self, payload: Payload) -> None:
        raw = self.url.startswith(RAW_PREFIX)
        url = self.url.removeprefix(RAW_PREFIX)
        headers = {"X-Content-SHA256": payload.sha256, "X-File-Name": payload.file_name}
        if self.settings.http_delivery_token:
            headers["Authorization"] = f"Bearer {self.settings.http_delivery_token}"
        try:
            with httpx.Client(timeout=self.settings.delivery_timeout_seconds) as client:
                if raw:
                    headers["Content-Type"] = payload.media_type
                    headers["Content-Disposition"] = f'attachment; filename="{payload.file_name}"'
                    response = client.post(url, content=payload.content, headers=headers)
                else:
                    files = {"file": (payload.file_name, payload.content, payload.media_type)}
                    response = client.post(url, files=files, headers=headers)
        except httpx.HTTPError as exc:
            raise TransportError(f"HTTP {url}: {exc or type(exc).__name__}") from exc
        if not response.is_success:
            code = response.status_code
            raise TransportError(
                f"HTTP {code} from {url}: {response.text[:200]}",
                permanent=400 <= code < 500 and code not in RETRYABLE_HTTP,
            )


def transport_for(kind: str, target: str, settings: Settings) -> Transport:
    if not target:
        raise TransportError("the operator has no delivery target configured", permanent=True)
    if kind == "folder":
        return FolderTransport(Path(target))
    if kind == "sftp":
        return SftpTransport(target, settings)
    if kind == "http":
        scheme = urlsplit(target.removeprefix(RAW_PREFIX)).scheme
        if scheme not in ("http", "https"):
            raise TransportError(f"HTTP target must be an http(s) URL: {target}", permanent=True)
        return HttpTransport(target, settings)
    raise TransportError(
        f"unknown delivery kind {kind!r} (expected one of {', '.join(KINDS)})", permanent=True
    )


def redact(target: str) -> str:
    """Hide a password someone put in a target URL before it is shown or logged."""
    parts = urlsplit(target)
    if parts.password is None:
        return target
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()
