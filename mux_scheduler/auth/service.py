"""Log-in, tokens and users. Keyword-only functions, no HTTP; callers commit."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from mux_scheduler.auth.models import ApiToken, Role, User
from mux_scheduler.auth.security import (
    MIN_PASSWORD_LENGTH,
    dummy_verify,
    hash_password,
    new_token,
    token_digest,
    verify_password,
)
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.errors import Conflict, Unauthenticated, ValidationFailed


def authenticate(session: Session, *, username: str, password: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        dummy_verify()
        raise Unauthenticated("Wrong user name or password.")
    if not verify_password(password, user.password_hash) or not user.is_active:
        raise Unauthenticated("Wrong user name or password.")
    return user


def issue_token(
    session: Session, *, user: User, kind: str, name: str, lifetime: timedelta | None
) -> tuple[str, ApiToken]:
    """Create a token; the clear value is returned once and never stored."""
    assert user.id is not None
    clear = new_token()
    row = ApiToken(
        user_id=user.id,
        name=name,
        kind=kind,
        token_hash=token_digest(clear),
        prefix=clear[:12],
        expires_at=(utcnow() + lifetime) if lifetime else None,
    )
    session.add(row)
    session.flush()
    return clear, row


def user_for_token(session: Session, *, token: str, now: datetime | None = None) -> User:
    now = now or utcnow()
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == token_digest(token))).first()
    if row is None or row.revoked or (row.expires_at is not None and row.expires_at <= now):
        raise Unauthenticated("The token is invalid, expired or revoked. Log in again.")
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise Unauthenticated("The account behind this token is disabled.")
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
        row.last_used_at = now  # coarse, so reads do not write on every request
        session.add(row)
    return user


def list_api_tokens(session: Session, *, user: User) -> list[ApiToken]:
    query = (
        select(ApiToken)
        .where(
            ApiToken.user_id == user.id, ApiToken.kind == "api", col(ApiToken.revoked).is_(False)
        )
        .order_by(col(ApiToken.id))
    )
    return list(session.exec(query))


def revoke_api_token(session: Session, *, user: User, token_id: int) -> ApiToken | None:
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.kind != "api":
        return None
    row.revoked = True
    session.add(row)
    return row


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"Password must be at least {MIN_PASSWORD_LENGTH} characters.",
            errors=[{"loc": ["password"], "msg": "too short"}],
        )


def validate_role_links(*, role: str, agency_id: int | None, operator_id: int | None) -> None:
    """Editors belong to one agency and operators' staff to one operator; nobody else does."""
    errors: list[dict[str, object]] = []
    if role == Role.AGENCY_EDITOR and agency_id is None:
        errors.append({"loc": ["agency_id"], "msg": "an agency editor needs an agency"})
    if role == Role.OPERATOR and operator_id is None:
        errors.append({"loc": ["operator_id"], "msg": "operator staff need an operator"})
    if role != Role.AGENCY_EDITOR and agency_id is not None:
        errors.append({"loc": ["agency_id"], "msg": "only agency editors belong to an agency"})
    if role != Role.OPERATOR and operator_id is not None:
        errors.append({"loc": ["operator_id"], "msg": "only operator staff belong to an operator"})
    if errors:
        raise ValidationFailed("The role and its agency/operator do not match.", errors=errors)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    email: str | None = None,
    agency_id: int | None = None,
    operator_id: int | None = None,
    locale: str = "id",
) -> User:
    check_password_policy(password)
    validate_role_links(role=role, agency_id=agency_id, operator_id=operator_id)
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise Conflict(f"User name {username!r} is taken.")
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=Role(role).value,
        full_name=full_name,
        email=email,
        agency_id=agency_id,
        operator_id=operator_id,
        locale=locale,
    )
    session.add(user)
    session.flush()
    return user
