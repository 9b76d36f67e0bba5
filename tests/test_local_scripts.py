"""The local infrastructure scripts: starting twice is harmless, and stopping
stops only what the script started."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.infra import DEPLOY_LOCAL, wait_until_sync
from tests.workers import free_port


def script(name: str, command: str, run_dir: Path, port: int) -> str:
    done = subprocess.run(
        ["bash", str(DEPLOY_LOCAL / f"{name}.sh"), command],
        env={**os.environ, "LEADPOOL_RUN_DIR": str(run_dir), "REDIS_PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode in (0, 3), done.stdout + done.stderr
    return done.stdout + done.stderr


def test_redis_script_starts_once_and_stops_only_its_own(tmp_path: Path) -> None:
    port = free_port()
    try:
        assert "ready on" in script("redis", "start", tmp_path, port)
        assert "already running" in script("redis", "start", tmp_path, port)

        config = (tmp_path / "redis" / "redis.conf").read_text()
        assert "appendonly yes" in config and "appendfsync everysec" in config
    finally:
        assert "stopped" in script("redis", "stop", tmp_path, port)

    assert "stopped" in script("redis", "status", tmp_path, port)
    assert "not running" in script("redis", "stop", tmp_path, port)


def test_a_port_held_by_someone_else_is_refused(tmp_path: Path) -> None:
    port = free_port()
    other = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_until_sync(
            lambda: (
                subprocess.run(
                    ["redis-cli", "-p", str(port), "ping"], capture_output=True
                ).returncode
                == 0
            ),
            message="foreign redis did not start",
        )
        with pytest.raises(AssertionError, match="already in use"):
            script("redis", "start", tmp_path, port)
        assert other.poll() is None, "the script must not touch a foreign server"
    finally:
        other.terminate()
        other.wait(timeout=10)
