"""Approval workflow: draft -> submitted -> approved / rejected, audit-logged."""

from __future__ import annotations

from sqlmodel import Session

from mux_scheduler.assets.models import ApprovalState, Asset, AssetStatus
from mux_scheduler.assets.service import log_action
from mux_scheduler.auth.access import Principal, get_visible
from mux_scheduler.auth.models import Role
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.errors import Conflict, Forbidden, ValidationFailed

UNUSABLE = (AssetStatus.REJECTED, AssetStatus.FAILED)


def _transition(
    session: Session,
    principal: Principal,
    asset: Asset,
    to_state: ApprovalState,
    comment: str | None,
) -> Asset:
    previous = asset.approval_state
    asset.approval_state = to_state
    if to_state in (ApprovalState.APPROVED, ApprovalState.REJECTED):
        asset.reviewer_id = principal.user_id
        asset.review_comment = comment
        asset.reviewed_at = utcnow()
    asset.updated_at = utcnow()
    session.add(asset)
    action = {"submitted": "submit", "approved": "approve", "rejected": "reject"}[to_state]
    log_action(session, principal, action, asset, {"from": previous, "comment": comment})
    session.commit()
    session.refresh(asset)
    return asset


def submit(session: Session, *, principal: Principal, asset_id: int) -> Asset:
    if principal.role == Role.OPERATOR:
        raise Forbidden("Operator accounts cannot submit content.")
    asset = get_visible(session, Asset, asset_id, principal)
    if asset.approval_state not in (ApprovalState.DRAFT, ApprovalState.REJECTED):
        raise Conflict(
            f"Asset {asset_id} is already {asset.approval_state}; only a draft or a rejected "
            "asset can be submitted for approval."
        )
    if asset.status in UNUSABLE:
        raise Conflict(
            f"Asset {asset_id} cannot be submitted: its file was {asset.status} "
            f"({asset.reject_reason}). Upload a corrected file."
        )
    return _transition(session, principal, asset, ApprovalState.SUBMITTED, None)


def approve(session: Session, *, principal: Principal, asset_id: int, comment: str | None) -> Asset:
    principal.require(Role.ADMIN, Role.PROGRAMMER)
    asset = get_visible(session, Asset, asset_id, principal)
    if asset.approval_state != ApprovalState.SUBMITTED:
        raise Conflict(
            f"Asset {asset_id} is {asset.approval_state}; only a submitted asset can be "
            "approved (its agency submits it first)."
        )
    if asset.status in UNUSABLE:
        raise Conflict(
            f"Asset {asset_id} cannot be approved: its file was {asset.status} "
            f"({asset.reject_reason})."
        )
    return _transition(session, principal, asset, ApprovalState.APPROVED, comment)


def reject(session: Session, *, principal: Principal, asset_id: int, comment: str | None) -> Asset:
    principal.require(Role.ADMIN, Role.PROGRAMMER)
    if not comment or not comment.strip():
        raise ValidationFailed(
            "A rejection needs a comment telling the agency what to change.",
            errors=[{"loc": ["body", "comment"], "msg": "required when rejecting"}],
        )
    asset = get_visible(session, Asset, asset_id, principal)
    if asset.approval_state not in (ApprovalState.SUBMITTED, ApprovalState.APPROVED):
        raise Conflict(
            f"Asset {asset_id} is {asset.approval_state}; only a submitted or approved asset "
            "can be rejected."
        )
    return _transition(session, principal, asset, ApprovalState.REJECTED, comment.strip())
