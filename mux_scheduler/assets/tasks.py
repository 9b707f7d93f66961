"""Background jobs of the asset domain: ``assets.analyse`` and ``assets.transcode``.

Each job reads what it needs in one short transaction, runs ffmpeg with no transaction open
(SQLite would otherwise be locked for minutes), and writes its results in another.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from mux_scheduler.assets import analysis
from mux_scheduler.assets.models import (
    Asset,
    AssetQC,
    AssetStatus,
    Rendition,
    RenditionStatus,
)
from mux_scheduler.assets.profiles import profiles_for_agency, to_spec
from mux_scheduler.assets.service import ANALYSE, TRANSCODE, mark_status
from mux_scheduler.channels.models import TechnicalProfile
from mux_scheduler.core.db import session_scope, utcnow
from mux_scheduler.core.errors import AppError, MediaError, NotFound
from mux_scheduler.core.settings import Settings
from mux_scheduler.jobs import queue
from mux_scheduler.jobs.models import FINISHED_STATES, Job
from mux_scheduler.jobs.registry import JobContext, handler
from mux_scheduler.media.probe import parse_probe
from mux_scheduler.media.transcode import transcode
from mux_scheduler.storage import MediaStore


def _asset(session: Session, asset_id: int, *, lock: bool = False) -> Asset:
    query = select(Asset).where(col(Asset.id) == asset_id)
    asset = session.exec(query.with_for_update() if lock else query).first()
    if asset is None:
        raise NotFound(f"Asset {asset_id} was deleted.")
    return asset


def _unshared(session: Session, asset: Asset) -> bool:
    others = select(func.count()).where(
        col(Asset.sha256) == asset.sha256,
        col(Asset.id) != asset.id,
        col(Asset.status) != AssetStatus.REJECTED,
    )
    return session.exec(others).one() == 0


# --- analysis -------------------------------------------------------------------------------


def _analysis_cleanup(settings: Settings, payload: dict[str, Any]) -> None:
    if "sha256" in payload:
        MediaStore(settings.media_root).remove_partials(
            MediaStore(settings.media_root).thumbnail_relpath(payload["sha256"])
        )


def _analysis_failed(context: JobContext, message: str) -> None:
    with session_scope(context.engine) as session:
        asset = session.get(Asset, context.payload["asset_id"])
        if asset is not None and asset.status in (AssetStatus.UPLOADED, AssetStatus.ANALYSING):
            mark_status(asset, AssetStatus.FAILED, f"Analysis did not finish: {message}")
            session.add(asset)


@handler(ANALYSE, on_failure=_analysis_failed, cleanup=_analysis_cleanup)
def analyse(context: JobContext) -> None:
    store = MediaStore(context.settings.media_root)
    preset = context.settings.transcode_preset
    with session_scope(context.engine) as session:
        asset = _asset(session, context.payload["asset_id"])
        mark_status(asset, AssetStatus.ANALYSING)
        session.add(asset)
        if asset.stored_path is None:
            raise MediaError("The original file is no longer stored; upload it again.")
        source = store.path(asset.stored_path)
        thumbnail = store.thumbnail_relpath(asset.sha256)
        profiles = {
            p.id: to_spec(p, preset=preset)
            for p in profiles_for_agency(session, asset.agency_id)
            if p.id is not None
        }

    def step(fraction: float) -> None:
        context.check_cancelled()
        context.report_progress(fraction)

    try:
        found = analysis.inspect(source, profiles, thumbnail_to=store.root / thumbnail, step=step)
    except MediaError as exc:
        _reject(context, store, exc.detail)
        return
    _record_analysis(context, store, found, thumbnail if found.thumbnail else None)


def _reject(context: JobContext, store: MediaStore, reason: str) -> None:
    with session_scope(context.engine) as session:
        _discard(session, store, _asset(session, context.payload["asset_id"]), reason)


def _discard(session: Session, store: MediaStore, asset: Asset, reason: str) -> None:
    """An unusable file: say why, and keep none of its bytes (the editor uploads a new one)."""
    mark_status(asset, AssetStatus.REJECTED, reason[:2000])
    if _unshared(session, asset):
        store.remove(store.thumbnail_relpath(asset.sha256))
        store.remove(asset.stored_path)
        asset.stored_path = None
    asset.thumbnail_path = None
    session.add(asset)


def _record_analysis(
    context: JobContext,
    store: MediaStore,
    found: analysis.Inspection,
    thumbnail: str | None,
) -> None:
    asset_id = context.payload["asset_id"]
    usable = [pid for pid, report in found.qc.items() if report.status != "fail"]
    with session_scope(context.engine) as session:
        asset = _asset(session, asset_id, lock=True)
        asset.probe = {"summary": analysis.summary(found), "ffprobe": found.raw_probe}
        asset.loudness = analysis.jsonable(found.loudness)
        asset.duration_frames = found.duration_frames
        asset.thumbnail_path = thumbnail
        session.execute(delete(AssetQC).where(col(AssetQC.asset_id) == asset_id))
        for profile_id, report in found.qc.items():
            session.add(
                AssetQC(
                    asset_id=asset_id,
                    profile_id=profile_id,
                    status=report.status,
                    items=analysis.jsonable(report.items),
                )
            )
        if found.qc and not usable:
            reasons = {item.reason for r in found.qc.values() for item in r.failures}
            _discard(session, store, asset, "; ".join(sorted(reasons)))
            return
        _queue_transcodes(session, context, asset, usable)


def _queue_transcodes(
    session: Session, context: JobContext, asset: Asset, profile_ids: list[int]
) -> None:
    assert asset.id is not None
    mark_status(asset, AssetStatus.TRANSCODING if profile_ids else AssetStatus.READY)
    session.add(asset)
    session.execute(delete(Rendition).where(col(Rendition.asset_id) == asset.id))
    unfinished = session.exec(
        select(Job.payload).where(
            col(Job.asset_id) == asset.id,
            col(Job.kind) == TRANSCODE,
            col(Job.state).not_in(list(FINISHED_STATES)),
        )
    )
    busy = {payload.get("profile_id") for payload in unfinished}
    for profile_id in profile_ids:
        session.add(Rendition(asset_id=asset.id, profile_id=profile_id))
        if profile_id in busy:
            continue
        queue.enqueue(
            session,
            TRANSCODE,
            {"asset_id": asset.id, "profile_id": profile_id},
            settings=context.settings,
            priority=queue.URGENT_PRIORITY if asset.urgent else 0,
            agency_id=asset.agency_id,
            asset_id=asset.id,
        )


# --- transcode ------------------------------------------------------------------------------


def _rendition_relpath(payload: dict[str, Any]) -> str:
    return MediaStore.rendition_relpath(int(payload["asset_id"]), int(payload["profile_id"]))


def _transcode_cleanup(settings: Settings, payload: dict[str, Any]) -> None:
    MediaStore(settings.media_root).remove_partials(_rendition_relpath(payload))


def _transcode_failed(context: JobContext, message: str) -> None:
    payload = context.payload
    with session_scope(context.engine) as session:
        asset = session.exec(
            select(Asset).where(col(Asset.id) == payload["asset_id"]).with_for_update()
        ).first()
        rendition = _rendition(session, payload)
        if asset is None or rendition is None:
            return
        rendition.status = RenditionStatus.FAILED
        rendition.error = message[:2000]
        rendition.finished_at = utcnow()
        profile = session.get(TechnicalProfile, rendition.profile_id)
        name = profile.name if profile else f"profile {rendition.profile_id}"
        mark_status(asset, AssetStatus.FAILED, f"Conversion to {name} failed: {message}"[:2000])
        session.add_all([rendition, asset])


def _rendition(session: Session, payload: dict[str, Any]) -> Rendition | None:
    return session.exec(
        select(Rendition).where(
            col(Rendition.asset_id) == payload["asset_id"],
            col(Rendition.profile_id) == payload["profile_id"],
        )
    ).first()


@handler(TRANSCODE, on_failure=_transcode_failed, cleanup=_transcode_cleanup)
def conform(context: JobContext) -> None:
    payload = context.payload
    store = MediaStore(context.settings.media_root)
    with session_scope(context.engine) as session:
        asset = _asset(session, payload["asset_id"])
        profile = session.get(TechnicalProfile, payload["profile_id"])
        if profile is None:
            raise NotFound(f"Technical profile {payload['profile_id']} was deleted.")
        if asset.stored_path is None:
            raise MediaError("The original file is no longer stored; upload it again.")
        spec = to_spec(profile, preset=context.settings.transcode_preset)
        source_path = store.path(asset.stored_path)
        source = parse_probe(asset.probe["ffprobe"])
        loudness = analysis.loudness_from_json(asset.loudness.get(analysis.layout_key(spec)))
    relative = _rendition_relpath(payload)
    target = store.root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    result = transcode(
        source_path,
        target,
        spec,
        source=source,
        loudness=loudness,
        on_progress=context.report_progress,
        cancel_event=context.cancel_event,
    )
    _record_rendition(
        context, store, relative, result.sha256, result.duration_frames, result.remuxed
    )


def _record_rendition(
    context: JobContext,
    store: MediaStore,
    relative: str,
    sha256: str,
    duration_frames: int,
    remuxed: bool,
) -> None:
    with session_scope(context.engine) as session:
        asset = session.exec(
            select(Asset).where(col(Asset.id) == context.payload["asset_id"]).with_for_update()
        ).first()
        rendition = _rendition(session, context.payload)
        if asset is None or rendition is None:
            store.remove(relative)  # deleted while we worked: keep nothing
            raise AppError("The asset was deleted while it was being converted.")
        rendition.sqlmodel_update(
            {
                "status": RenditionStatus.READY,
                "path": relative,
                "sha256": sha256,
                "duration_frames": duration_frames,
                "size_bytes": store.path(relative).stat().st_size,
                "remuxed": remuxed,
                "error": None,
                "finished_at": utcnow(),
            }
        )
        session.add(rendition)
        session.flush()
        waiting = session.exec(
            select(func.count()).where(
                col(Rendition.asset_id) == asset.id,
                col(Rendition.status) != RenditionStatus.READY,
            )
        ).one()
        if waiting == 0 and asset.status == AssetStatus.TRANSCODING:
            mark_status(asset, AssetStatus.READY)
            session.add(asset)
