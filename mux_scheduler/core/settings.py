"""Settings, validated once at start (``MUX_`` environment variables or ``.env``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-not-for-production"  # noqa: S105 - the value we refuse in production


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MUX_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str = ""
    media_root: Path = Path("media")
    playlists_root: Path = Path("playlists")
    queue: Literal["local", "celery"] = "local"
    redis_url: str = "redis://127.0.0.1:6379/0"
    secret_key: str = DEFAULT_SECRET
    ffmpeg_path: str = "ffmpeg"
    ffprobe_path: str = "ffprobe"
    max_upload_bytes: int = Field(default=8 * 1024**3, gt=0)
    access_token_minutes: int = Field(default=12 * 60, gt=0)
    local_workers: int = Field(default=2, ge=1)
    login_attempts_per_minute: int = Field(default=10, ge=1)
    default_locale: Literal["id", "en"] = "id"

    @model_validator(mode="after")
    def _defaults_and_secrets(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'mux.db').as_posix()}"
        if self.environment == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError(
                "MUX_SECRET_KEY must be set to a private random value in production "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def ensure_dirs(self) -> None:
        for folder in (self.data_dir, self.media_root, self.playlists_root):
            folder.mkdir(parents=True, exist_ok=True)


@lru_cache
def get_settings() -> Settings:
    return Settings()
