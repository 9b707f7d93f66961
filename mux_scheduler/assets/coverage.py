"""Renditions follow the schedule: an asset placed on a channel gets that channel's profile.

Analysis conforms an asset to the profiles of the channels its agency leases. A campaign or a
rule can put it on another agency's channel (agenda setting across agencies); this queues the
missing conform jobs then, so the item does not stay ``pending_rendition`` until someone
notices.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from mux_scheduler.assets import analysis
from mux_scheduler.assets.models import Asset, AssetQC, AssetStatus, Rendition
from mux_scheduler.assets.profiles import to_spec
from mux_scheduler.assets.service import TRANSCODE, mark_status
from mux_scheduler.channels.models import Channel, TechnicalProfile
from mux_scheduler.core.settings import Settings
from mux_scheduler.jobs import queue
from mux_scheduler.media.probe import parse_probe
from mux_scheduler.media.qc import qc_report

CONFORMABLE = (AssetStatus.READY.value, AssetStatus.TRANSCODING.value)


def ensure_renditions(
    session: Session, *, settings: Settings, asset_ids: Iterable[int], channel_ids: Iterable[int]
) -> int:
    """Queue a conform job for every (asset, channel profile) without a rendition; returns
    how many were queued. Assets whose QC fails for a profile get the QC row, no job."""
    ids = sorted(set(asset_ids))
    profile_ids = set(
        session.exec(
            select(Channel.profile_id).where(col(Channel.id).in_(sorted(set(channel_ids))))
        )
    )
    if not ids or not profile_ids:
        return 0
    have = {
        (r.asset_id, r.profile_id)
        for r in session.exec(select(Rendition).where(col(Rendition.asset_id).in_(ids)))
    }
    profiles = {
        p.id: p
        for p in session.exec(
            select(TechnicalProfile).where(col(TechnicalProfile.id).in_(profile_ids))
        )
    }
    assets = session.exec(
        select(Asset).where(
            col(Asset.id).in_(ids),
            col(Asset.status).in_(CONFORMABLE),
            col(Asset.stored_path).is_not(None),
        )
    )
    checked = {
        (q.asset_id, q.profile_id): q.status
        for q in session.exec(select(AssetQC).where(col(AssetQC.asset_id).in_(ids)))
    }
    queued = 0
    for asset in assets:
        for profile_id, profile in sorted(profiles.items()):
            if asset.id is None or profile_id is None or (asset.id, profile_id) in have:
                continue
            status = checked.get((asset.id, profile_id)) or _check(session, asset, profile)
            if status == "fail":
                continue
            session.add(Rendition(asset_id=asset.id, profile_id=profile_id))
            queue.enqueue(
                session,
                TRANSCODE,
                {"asset_id": asset.id, "profile_id": profile_id},
                settings=settings,
                priority=queue.URGENT_PRIORITY if asset.urgent else 0,
                agency_id=asset.agency_id,
                asset_id=asset.id,
            )
            mark_status(asset, AssetStatus.TRANSCODING)
            session.add(asset)
            queued += 1
    session.flush()
    return queued


def _check(session: Session, asset: Asset, profile: TechnicalProfile) -> str:
    spec = to_spec(profile)
    loudness = analysis.loudness_from_json(asset.loudness.get(analysis.layout_key(spec)))
    report = qc_report(parse_probe(asset.probe["ffprobe"]), loudness, spec)
    session.add(
        AssetQC(
            asset_id=asset.id or 0,
            profile_id=profile.id or 0,
            status=report.status,
            items=analysis.jsonable(report.items),
        )
    )
    return report.status
