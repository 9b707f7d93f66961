"""Kept so `from tests.api.conftest import World, auth` keeps working."""

from tests.world import World, auth

__all__ = ["World", "auth"]
