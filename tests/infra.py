"""Test infrastructure: where Kafka and Redis come from, and how tests wait.

Each service is taken from, in order:

1. an environment variable (``KAFKA_BOOTSTRAP_SERVERS`` / ``REDIS_URL``): a
   running service that the session neither starts nor stops;
2. a testcontainers container, when a Docker engine answers;
3. the local scripts in ``deploy/local/`` with a test-only run directory and
   test-only ports, stopped at the end only if this session started them.

Tests never sleep to wait for something: they poll with a deadline through
:func:`wait_until` (async) or :func:`wait_until_sync`.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

REPO_ROOT = Path(__file__).resolve().parents[1]
DEPLOY_LOCAL = REPO_ROOT / "deploy" / "local"
TEST_RUN_DIR = Path(
    os.environ.get("LEADPOOL_TEST_RUN_DIR", REPO_ROOT / ".run" / "test")
)

TEST_KAFKA_PORT = int(os.environ.get("LEADPOOL_TEST_KAFKA_PORT", "19092"))
TEST_KAFKA_CONTROLLER_PORT = int(
    os.environ.get("LEADPOOL_TEST_KAFKA_CONTROLLER_PORT", "19093")
)
TEST_REDIS_PORT = int(os.environ.get("LEADPOOL_TEST_REDIS_PORT", "16379"))

# Images for the Docker path; cp-kafka 8.1 ships Apache Kafka 4.1, as pinned.
KAFKA_IMAGE = os.environ.get("LEADPOOL_KAFKA_IMAGE", "confluentinc/cp-kafka:8.1.0")
REDIS_IMAGE = os.environ.get("LEADPOOL_REDIS_IMAGE", "redis:7.0")

# A cold start may download the Kafka jars once (see deploy/local/kafka.sh).
SCRIPT_START_TIMEOUT_S = 240

T = TypeVar("T")


def unique_name(prefix: str = "t") -> str:
    """A short name no other test uses, e.g. ``t3f9a2c1``."""
    return prefix + uuid.uuid4().hex[:7]


def docker_available(timeout_s: float = 5.0) -> bool:
    """True when a Docker engine answers ``docker info`` quickly."""
    if os.environ.get("LEADPOOL_NO_DOCKER") or shutil.which("docker") is None:
        return False
    try:
        done = subprocess.run(
            ["docker", "info"],
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def redis_is_external() -> bool:
    """True when REDIS_URL names a Redis that the session did not start."""
    return bool(os.environ.get("REDIS_URL"))


class LocalService:
    """A service run by one of the ``deploy/local/*.sh`` scripts."""

    def __init__(self, script: str, env: dict[str, str]) -> None:
        self.script = DEPLOY_LOCAL / script
        self.env = {**os.environ, "LEADPOOL_RUN_DIR": str(TEST_RUN_DIR), **env}
        self.started_here = False

    def _run(self, command: str, timeout_s: float) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(self.script), command],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )

    def is_running(self) -> bool:
        return self._run("status", 30).returncode == 0

    def start(self) -> None:
        """Start the service unless it already runs (then leave it alone)."""
        if self.is_running():
            return
        done = self._run("start", SCRIPT_START_TIMEOUT_S)
        if done.returncode != 0:
            raise RuntimeError(
                f"{self.script.name} start failed (exit {done.returncode}):\n"
                f"{done.stdout}\n{done.stderr}"
            )
        self.started_here = True

    def stop(self) -> None:
        """Stop the service only if :meth:`start` started it."""
        if self.started_here:
            self._run("stop", 90)
            self.started_here = False


@contextmanager
def kafka_service() -> Iterator[str]:
    """Yield a Kafka bootstrap address ("host:port") for the whole session."""
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if external:
        yield external
        return
    if docker_available():
        from testcontainers.community.kafka import KafkaContainer

        with KafkaContainer(image=KAFKA_IMAGE).with_kraft() as container:
            yield container.get_bootstrap_server()
        return
    service = LocalService(
        "kafka.sh",
        {
            "KAFKA_PORT": str(TEST_KAFKA_PORT),
            "KAFKA_CONTROLLER_PORT": str(TEST_KAFKA_CONTROLLER_PORT),
        },
    )
    service.start()
    try:
        yield f"127.0.0.1:{TEST_KAFKA_PORT}"
    finally:
        service.stop()


@contextmanager
def redis_service() -> Iterator[str]:
    """Yield a Redis URL ("redis://host:port/0") for the whole session."""
    external = os.environ.get("REDIS_URL")
    if external:
        yield external
        return
    if docker_available():
        from testcontainers.community.redis import RedisContainer

        container = RedisContainer(image=REDIS_IMAGE).with_command(
            "redis-server --appendonly yes --appendfsync everysec"
        )
        with container:
            host = container.get_container_host_ip()
            port = container.get_exposed_port(6379)
            yield f"redis://{host}:{port}/0"
        return
    service = LocalService("redis.sh", {"REDIS_PORT": str(TEST_REDIS_PORT)})
    service.start()
    try:
        yield f"redis://127.0.0.1:{TEST_REDIS_PORT}/0"
    finally:
        service.stop()


def _timeout_message(timeout_s: float, message: str | Callable[[], str]) -> str:
    text = message() if callable(message) else message
    return f"timed out after {timeout_s}s: {text}"


async def wait_until(
    predicate: Callable[[], Any] | Callable[[], Awaitable[Any]],
    timeout_s: float = 30.0,
    interval_s: float = 0.05,
    message: str | Callable[[], str] = "condition not met",
) -> Any:
    """Poll ``predicate`` (sync or async) until it returns something truthy.

    Returns that value; raises AssertionError with ``message`` (a string, or a
    callable building one at the deadline) when time runs out.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        result = predicate()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        if loop.time() >= deadline:
            raise AssertionError(_timeout_message(timeout_s, message))
        await asyncio.sleep(interval_s)


def wait_until_sync(
    predicate: Callable[[], T],
    timeout_s: float = 30.0,
    interval_s: float = 0.05,
    message: str | Callable[[], str] = "condition not met",
) -> T:
    """Blocking twin of :func:`wait_until` for sync tests and fixtures."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(_timeout_message(timeout_s, message))
        time.sleep(interval_s)


async def create_topics(bootstrap: str, names: list[str], partitions: int = 4) -> None:
    """Create topics up front (Faust subscribes only to topics that exist)."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics(
            [
                NewTopic(name, num_partitions=partitions, replication_factor=1)
                for name in names
            ]
        )
    finally:
        await admin.close()


async def collect(consumer: Any, count: int, timeout_s: float = 30.0) -> list[Any]:
    """Read from a started aiokafka consumer until ``count`` records arrived."""
    records: list[Any] = []

    async def enough() -> bool:
        batches = await consumer.getmany(timeout_ms=200)
        for batch in batches.values():
            records.extend(batch)
        return len(records) >= count

    await wait_until(
        enough,
        timeout_s=timeout_s,
        interval_s=0,
        message=lambda: f"expected {count} records, got {len(records)}",
    )
    return records
