"""Settings, validated once at start (``MUX_`` environment variables or ``.env``)."""

from __future__ import annotations

from datetime import time
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
    # x264/x265 speed preset for renditions; tests and small machines use "ultrafast".
    transcode_preset: str = "veryfast"
    celery_queue: str = Field(default="mux-scheduler", pattern=r"^[A-Za-z0-9_.:-]+$")
    login_attempts_per_minute: int = Field(default=10, ge=1)
    default_locale: Literal["id", "en"] = "id"
    # Automation (``mux-scheduler scheduler``) and delivery of exports to operators.
    build_days_ahead: int = Field(default=7, ge=1, le=60)
    nightly_build_time: time = time(1, 0)
    scheduler_time_zone: str = "Asia/Jakarta"
    delivery_lead_minutes: int = Field(default=60, ge=0, le=24 * 60)
    scheduler_misfire_grace_seconds: int = Field(default=24 * 3600, ge=1)
    delivery_max_attempts: int = Field(default=5, ge=1, le=20)
    delivery_backoff_seconds: float = Field(default=2.0, ge=0)
    delivery_backoff_max_seconds: float = Field(default=60.0, ge=0)
    delivery_timeout_seconds: float = Field(default=30.0, gt=0)
    sftp_key_file: Path | None = None
    sftp_known_hosts: Path | None = None
    sftp_password: str | None = None
    http_delivery_token: str | None = None

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
