from tests.assets.conftest import clip, settings

__all__ = ["clip", "settings"]
