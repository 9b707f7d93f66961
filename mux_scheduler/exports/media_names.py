"""Rendition file names and asset metadata for export items, in two queries for a whole day.

The operator's playout server mirrors ``media/renditions/``, so an item's file is its
rendition's path below that folder. An item without a ready rendition (a slate, a live
placeholder, content still transcoding) falls back to ``<house_id>.ts``.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from mux_scheduler.assets.models import Asset, Rendition, RenditionStatus

RENDITIONS_PREFIX = "renditions/"
DEFAULT_LANGUAGE = "id"


@dataclass(frozen=True)
class MediaNames:
    paths: dict[int, str] = field(default_factory=dict)
    languages: dict[int, str] = field(default_factory=dict)

    def file_name(self, asset_id: int | None, house_id: str) -> str:
        if asset_id is not None and asset_id in self.paths:
            return self.paths[asset_id]
        return f"{house_id}.ts"

    def language(self, asset_id: int | None) -> str:
        if asset_id is None:
            return DEFAULT_LANGUAGE
        return self.languages.get(asset_id, DEFAULT_LANGUAGE)

    def description(self, asset_id: int | None) -> str:
        # Assets carry no synopsis yet; EPG formats then print the title alone.
        return ""


def _relative(path: str) -> str:
    normalised = posixpath.normpath(path)
    if normalised.startswith(RENDITIONS_PREFIX):
        return normalised[len(RENDITIONS_PREFIX) :]
    return normalised


def lookup(session: Session, *, asset_ids: set[int], profile_id: int) -> MediaNames:
    if not asset_ids:
        return MediaNames()
    renditions = session.exec(
        select(Rendition.asset_id, Rendition.path).where(
            col(Rendition.asset_id).in_(asset_ids),
            Rendition.profile_id == profile_id,
            Rendition.status == RenditionStatus.READY,
            col(Rendition.path).is_not(None),
        )
    )
    languages = session.exec(select(Asset.id, Asset.language).where(col(Asset.id).in_(asset_ids)))
    return MediaNames(
        paths={asset_id: _relative(path) for asset_id, path in renditions if path},
        languages={asset_id: language for asset_id, language in languages if asset_id},
    )
