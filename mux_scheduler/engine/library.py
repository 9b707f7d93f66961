"""The library indexed once per build: eligibility on the day and pool selection.

Unapproved, expired, not-yet-valid and zero-length assets are dropped here, once, so no
later stage can place them; ``problem`` explains why a referenced asset is missing.
Assets of a campaign running today are reserved for the campaign desk (which spaces them
to the target): a pool only draws them when it names the campaign or the assets.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from operator import attrgetter

from mux_scheduler.engine.inputs import Campaign, LibraryAsset, PoolFilter


class Library:
    def __init__(
        self, assets: Sequence[LibraryAsset], day: date, campaigns: Sequence[Campaign]
    ) -> None:
        self.day = day
        # Sorted by id so the playlist does not depend on the order the database returned.
        self.by_id: dict[int, LibraryAsset] = {
            a.asset_id: a for a in sorted(assets, key=attrgetter("asset_id"))
        }
        self._campaign_assets = {c.campaign_id: tuple(c.asset_ids) for c in campaigns}
        reserved = {aid for c in campaigns if c.active_on(day) for aid in c.asset_ids}
        self._by_kind: dict[str, list[LibraryAsset]] = {}
        self._eligible: set[int] = set()
        for asset in self.by_id.values():
            if not asset.approved or asset.duration_frames <= 0:
                continue
            if asset.valid_from is not None and day < asset.valid_from:
                continue
            if asset.valid_until is not None and day > asset.valid_until:
                continue
            self._eligible.add(asset.asset_id)
            if asset.asset_id not in reserved:
                self._by_kind.setdefault(asset.kind, []).append(asset)

    def eligible(self, asset_id: int) -> LibraryAsset | None:
        return self.by_id[asset_id] if asset_id in self._eligible else None

    def problem(self, asset_id: int) -> str | None:
        """Why ``asset_id`` cannot be placed today, as a violation code (None if it can)."""
        asset = self.by_id.get(asset_id)
        if asset is None:
            return "unknown_asset"
        if not asset.approved:
            return "not_approved"
        if asset.valid_until is not None and self.day > asset.valid_until:
            return "expired"
        if asset.valid_from is not None and self.day < asset.valid_from:
            return "not_yet_valid"
        if asset.duration_frames <= 0:
            return "zero_duration"
        return None

    def select(self, pool: PoolFilter) -> list[LibraryAsset]:
        """Eligible assets matching ``pool``, in ``asset_ids`` order or library order."""
        if pool.asset_ids:
            chosen = self._eligible_of(pool.asset_ids)
        elif pool.campaign_id is not None:
            chosen = self._eligible_of(sorted(self._campaign_assets.get(pool.campaign_id, ())))
        elif pool.kinds:
            chosen = [a for kind in dict.fromkeys(pool.kinds) for a in self._by_kind.get(kind, [])]
            if len(pool.kinds) > 1:
                chosen.sort(key=attrgetter("asset_id"))
        else:
            chosen = sorted(
                (a for group in self._by_kind.values() for a in group), key=attrgetter("asset_id")
            )
        if pool.kinds and (pool.asset_ids or pool.campaign_id is not None):
            chosen = [a for a in chosen if a.kind in pool.kinds]
        if pool.tags:
            wanted = frozenset(pool.tags)
            chosen = [a for a in chosen if not wanted.isdisjoint(a.tags)]
        if pool.agency_ids:
            agencies = frozenset(pool.agency_ids)
            chosen = [a for a in chosen if a.agency_id in agencies]
        if pool.campaign_id is not None and pool.asset_ids:
            members = frozenset(self._campaign_assets.get(pool.campaign_id, ()))
            chosen = [a for a in chosen if a.asset_id in members]
        return chosen

    def _eligible_of(self, asset_ids: Sequence[int]) -> list[LibraryAsset]:
        return [self.by_id[i] for i in dict.fromkeys(asset_ids) if i in self._eligible]
