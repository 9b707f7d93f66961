"""Password hashing (argon2id) and bearer tokens stored only as digests."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
TOKEN_PREFIX = "mux_"  # noqa: S105 - marks our tokens in logs and secret scanners
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def dummy_verify() -> None:
    """Spend the same time as a real check so unknown user names are not revealed by timing."""
    verify_password("not-a-password", _DUMMY_HASH)


_DUMMY_HASH = _hasher.hash("dummy-password-for-timing")


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    # A random 256-bit token needs no slow hash: SHA-256 is irreversible for it and fast to look up.
    return hashlib.sha256(token.encode()).hexdigest()
