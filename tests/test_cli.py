from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from mux_scheduler.cli import app
from mux_scheduler.core.settings import Settings


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "MUX_DATA_DIR": str(tmp_path / "var"),
        "MUX_MEDIA_ROOT": str(tmp_path / "media"),
        "MUX_PLAYLISTS_ROOT": str(tmp_path / "playlists"),
    }


def test_help_explains_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "migrate", "create-admin", "demo", "worker", "scheduler"):
        assert command in result.output


def test_every_compose_command_exists() -> None:
    """docker/compose.yaml runs these; a typo there would only show on a real deployment."""
    compose = (Path(__file__).parents[1] / "docker" / "compose.yaml").read_text()
    commands = set(re.findall(r'command: \["mux-scheduler", "([a-z-]+)"', compose))
    assert commands == {"migrate", "serve", "worker", "scheduler"}
    for command in commands:
        result = CliRunner().invoke(app, [command, "--help"])
        assert result.exit_code == 0, result.output


def test_module_entry_point_runs(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "mux_scheduler", "--help"],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        check=True,
    )
    assert "multiplexes" in completed.stdout


def test_demo_seeds_once_and_prints_logins(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "mux_scheduler", "demo", "--no-serve"]
    first = subprocess.run(command, capture_output=True, text=True, env=_env(tmp_path), check=True)
    second = subprocess.run(command, capture_output=True, text=True, env=_env(tmp_path), check=True)
    assert "admin" in first.stdout and "demo-admin-2026" in first.stdout
    logins = first.stdout[first.stdout.index("Demo log-ins") :]
    assert second.stdout.endswith(logins), "the same log-ins every time"
    assert "Demo clips ingested" in first.stdout
    assert "Demo clips ingested" not in second.stdout, "seeding twice adds nothing"
    assert (tmp_path / "var" / "mux.db").exists()


def test_create_admin_refuses_a_short_password(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "mux_scheduler", "migrate"], env=env, check=True, capture_output=True
    )
    short = subprocess.run(
        [
            sys.executable,
            "-m",
            "mux_scheduler",
            "create-admin",
            "--username",
            "root",
            "--password",
            "short",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "mux_scheduler",
            "create-admin",
            "--username",
            "root",
            "--password",
            "a-long-password",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(ValidationError, match="MUX_SECRET_KEY"):
        Settings(environment="production")
    assert Settings(environment="production", secret_key="x" * 40).secret_key == "x" * 40
