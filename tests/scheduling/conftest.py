from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlmodel import Session, select

from mux_scheduler.assets.models import Asset, AssetKind, Classification, Rendition
from mux_scheduler.channels.models import Channel

SECOND = 25
MINUTE = 60 * SECOND


@dataclass
class Library:
    """A small but realistic library for the demo channel kanal-humas (25 fps)."""

    anthem: int
    programmes: list[int]
    documentary_d: int
    ilms: list[int]
    station_ids: list[int]
    filler: int


AssetFactory = Callable[..., int]


@pytest.fixture
def make_asset(session: Session) -> AssetFactory:
    counter = iter(range(1, 100_000))

    def factory(
        *,
        agency_id: int,
        title: str,
        kind: str,
        frames: int,
        classification: str = "SU",
        approved: bool = True,
        rendition_ready: bool = True,
        tags: list[str] | None = None,
    ) -> int:
        asset = Asset(
            agency_id=agency_id,
            title=title,
            kind=AssetKind(kind),
            classification=Classification(classification),
            tags=tags or [],
            approval_state="approved" if approved else "submitted",
            sha256=f"{next(counter):064x}",
            size_bytes=1000,
            status="ready",
            duration_frames=frames,
        )
        session.add(asset)
        session.flush()
        assert asset.id is not None
        profile_ids = set(session.exec(select(Channel.profile_id)).all())
        for profile_id in profile_ids:
            session.add(
                Rendition(
                    asset_id=asset.id,
                    profile_id=profile_id,
                    status="ready" if rendition_ready else "pending",
                    duration_frames=frames if rendition_ready else None,
                    path=f"renditions/{asset.id}-{profile_id}.ts" if rendition_ready else None,
                )
            )
        session.commit()
        return asset.id

    return factory
