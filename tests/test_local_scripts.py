"""The local infrastructure scripts: starting twice is harmless, and stopping
stops only what the script started."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from tests.infra import (
    DEPLOY_LOCAL,
    TEST_KAFKA_CONTROLLER_PORT,
    TEST_KAFKA_PORT,
    TEST_RUN_DIR,
    wait_until_sync,
)
from tests.workers import free_port


def script(name: str, command: str, run_dir: Path, port: int, **env: str) -> str:
    done = subprocess.run(
        ["bash", str(DEPLOY_LOCAL / f"{name}.sh"), command],
        env={
            **os.environ,
            "LEADPOOL_RUN_DIR": str(run_dir),
            f"{name.upper()}_PORT": str(port),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
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


def test_starting_the_running_test_kafka_again_leaves_it_alone(
    kafka_bootstrap: str,
) -> None:
    if kafka_bootstrap != f"127.0.0.1:{TEST_KAFKA_PORT}":
        pytest.skip("this session's Kafka was not started by deploy/local/kafka.sh")
    controller = str(TEST_KAFKA_CONTROLLER_PORT)
    pid_before = script(
        "kafka",
        "status",
        TEST_RUN_DIR,
        TEST_KAFKA_PORT,
        KAFKA_CONTROLLER_PORT=controller,
    )

    again = script(
        "kafka",
        "start",
        TEST_RUN_DIR,
        TEST_KAFKA_PORT,
        KAFKA_CONTROLLER_PORT=controller,
    )

    assert "running (pid" in pid_before
    assert "already running" in again
    assert pid_before == script(
        "kafka",
        "status",
        TEST_RUN_DIR,
        TEST_KAFKA_PORT,
        KAFKA_CONTROLLER_PORT=controller,
    )


def test_kafka_refuses_a_port_held_by_someone_else(tmp_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        controller = str(free_port())

        with pytest.raises(AssertionError, match="already in use"):
            script("kafka", "start", tmp_path, port, KAFKA_CONTROLLER_PORT=controller)

        assert "not running" in script(
            "kafka", "stop", tmp_path, port, KAFKA_CONTROLLER_PORT=controller
        )
