"""A real SSH/SFTP server on 127.0.0.1 (paramiko), serving one folder, for delivery tests.

Public-key authentication only; host and client keys are generated per test session. The
server speaks the full protocol (key exchange, auth, the sftp subsystem), so the client code
under test runs exactly as against an operator's server.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paramiko
from paramiko.common import (
    AUTH_FAILED,
    AUTH_SUCCESSFUL,
    OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED,
    OPEN_SUCCEEDED,
)
from paramiko.sftp import SFTP_NO_SUCH_FILE, SFTP_OK, SFTP_PERMISSION_DENIED


class _Auth(paramiko.ServerInterface):
    def __init__(self, username: str, key: paramiko.PKey) -> None:
        self.username = username
        self.key = key

    def get_allowed_auths(self, username: str) -> str:
        return "publickey"

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        if username == self.username and key == self.key:
            return AUTH_SUCCESSFUL
        return AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return OPEN_SUCCEEDED
        return OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


class _Handle(paramiko.SFTPHandle):
    def stat(self) -> Any:
        return paramiko.SFTPAttributes.from_stat(os.fstat(self.writefile.fileno()))  # type: ignore[attr-defined]


class _Folder(paramiko.SFTPServerInterface):
    """Maps SFTP paths into ``root``; refuses anything that would leave it."""

    def __init__(self, server: Any, *, root: Path, log: list[str]) -> None:
        super().__init__(server)
        self.root = root.resolve()
        self.log = log

    def _path(self, path: str) -> Path:
        resolved = (self.root / path.lstrip("/")).resolve()
        if not resolved.is_relative_to(self.root):
            raise PermissionError(path)
        return resolved

    def open(self, path: str, flags: int, attr: Any) -> Any:
        try:
            local = self._path(path)
            fd = os.open(local, flags | getattr(os, "O_BINARY", 0), 0o644)
        except PermissionError:
            return SFTP_PERMISSION_DENIED
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno or 0)
        handle = _Handle(flags)
        mode = "ab" if flags & os.O_APPEND else "wb" if flags & os.O_WRONLY else "r+b"
        handle.writefile = handle.readfile = os.fdopen(fd, mode)  # type: ignore[attr-defined]
        self.log.append(f"open {path}")
        return handle

    def stat(self, path: str) -> Any:
        try:
            return paramiko.SFTPAttributes.from_stat(os.stat(self._path(path)))
        except FileNotFoundError:
            return SFTP_NO_SUCH_FILE

    lstat = stat

    def remove(self, path: str) -> int:
        try:
            self._path(path).unlink()
        except FileNotFoundError:
            return SFTP_NO_SUCH_FILE
        return SFTP_OK

    def posix_rename(self, oldpath: str, newpath: str) -> int:
        self._path(oldpath).replace(self._path(newpath))
        self.log.append(f"rename {oldpath} -> {newpath}")
        return SFTP_OK

    def rename(self, oldpath: str, newpath: str) -> int:
        if self._path(newpath).exists():
            return paramiko.sftp.SFTP_FAILURE
        return self.posix_rename(oldpath, newpath)


@dataclass
class SftpServer:
    root: Path
    host_key: paramiko.RSAKey
    client_key: paramiko.RSAKey
    username: str = "mux"
    port: int = 0
    log: list[str] = field(default_factory=list)
    _socket: socket.socket | None = None
    _transports: list[paramiko.Transport] = field(default_factory=list)

    def start(self) -> SftpServer:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self) -> None:
        assert self._socket is not None
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            transport = paramiko.Transport(connection)
            transport.add_server_key(self.host_key)
            transport.set_subsystem_handler(
                "sftp", paramiko.SFTPServer, _Folder, root=self.root, log=self.log
            )
            self._transports.append(transport)
            with contextlib.suppress(paramiko.SSHException, EOFError):
                transport.start_server(server=_Auth(self.username, self.client_key))

    def known_hosts_line(self) -> str:
        return f"[127.0.0.1]:{self.port} {self.host_key.get_name()} {self.host_key.get_base64()}\n"

    def stop(self) -> None:
        if self._socket is not None:
            self._socket.close()
        for transport in self._transports:
            transport.close()
