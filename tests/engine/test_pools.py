"""Pool orders: sequential cursor, shuffle without repeats, least recently aired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mux_scheduler.engine.pools import make_pool, shuffle_state
from tests.engine.factories import asset


class Anything:
    def allowed(self, asset, start, end) -> bool:
        return True

    def penalty(self, asset, start, end) -> int:
        return 0

    def parks(self, classification, start) -> bool:
        return False


def _take(pool, n: int) -> list[int]:
    return [pool.pick(0, 10**9, Anything()).asset_id for _ in range(n)]


def test_sequential_wraps_around_after_the_cursor() -> None:
    episodes = [asset(house_id=f"EP-{n}") for n in range(1, 5)]

    pool = make_pool(
        episodes, order="sequential", key="b", seed=1, last_aired={}, cursor=episodes[2]
    )

    assert _take(pool, 5) == [episodes[i].asset_id for i in (3, 0, 1, 2, 3)]


def test_sequential_never_skips_an_episode_that_does_not_fit() -> None:
    short, long = asset(house_id="EP-1", seconds=60), asset(house_id="EP-2", seconds=3600)
    pool = make_pool(
        [short, long], order="sequential", key="b", seed=1, last_aired={}, cursor=short
    )

    assert pool.pick(0, 25 * 120, Anything()) is None


def test_shuffle_does_not_repeat_until_the_pool_is_exhausted_across_days() -> None:
    assets = [asset() for _ in range(10)]
    ids = {a.asset_id for a in assets}
    day_one = make_pool(assets, order="shuffle", key="b", seed=1, last_aired={})
    first = _take(day_one, 6)
    played = shuffle_state(day_one, ())

    day_two = make_pool(assets, order="shuffle", key="b", seed=2, last_aired={}, played=played)
    second = _take(day_two, 4)

    assert len(set(first)) == 6 and set(first) | set(second) == ids
    assert shuffle_state(day_two, played) == ()  # the cycle completed


def test_lru_prefers_never_aired_then_oldest() -> None:
    a, b, c = asset(), asset(), asset()
    now = datetime(2025, 8, 13, tzinfo=UTC)
    last = {a.asset_id: now - timedelta(hours=1), b.asset_id: now - timedelta(days=2)}

    pool = make_pool([a, b, c], order="lru", key="b", seed=1, last_aired=last)

    assert _take(pool, 4) == [c.asset_id, b.asset_id, a.asset_id, c.asset_id]
