"""Running real service workers as subprocesses for end-to-end tests.

Each worker is `python -m services.<name>` with its own namespace (topics,
consumer group, Redis keys), a free port and a log file under the test run
directory. `start` returns once `/health` reports assigned partitions.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml

from tests.infra import REPO_ROOT, TEST_RUN_DIR, wait_until_sync

WORKER_START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(path: Path, document: dict[str, object]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def example_config() -> dict[str, object]:
    loaded = yaml.safe_load((REPO_ROOT / "deploy/config/leadpool.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


@dataclass
class Worker:
    service: str
    env: dict[str, str]
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Worker:
        self.launch()
        return self.wait_ready()

    def launch(self) -> Worker:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", f"services.{self.service}"],
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_ready(self) -> Worker:
        wait_until_sync(
            self.ready,
            timeout_s=WORKER_START_TIMEOUT_S,
            message=f"{self.service} worker not ready; see {self.log_path}",
        )
        return self

    def ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(
                f"{self.service} worker exited with {self.process.returncode}: "
                + self.log_path.read_text()[-3000:]
            )
        try:
            health = httpx.get(f"{self.url}/health", timeout=1).json()
        except httpx.HTTPError:
            return False
        return int(health.get("partitions", 0)) > 0

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@dataclass
class Deployment:
    """One isolated Leadpool: a namespace, a config file and its workers."""

    namespace: str
    kafka_bootstrap: str
    redis_url: str
    config_path: Path
    workers: list[Worker] = field(default_factory=list)

    def env(self, port: int, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("LEADPOOL_")
        }
        env.update(
            KAFKA_BOOTSTRAP_SERVERS=self.kafka_bootstrap,
            REDIS_URL=self.redis_url,
            LEADPOOL_NAMESPACE=f"{self.namespace}.",
            LEADPOOL_CONFIG_PATH=str(self.config_path),
            LEADPOOL_WEB_PORT=str(port),
            LEADPOOL_DATA_DIR=str(TEST_RUN_DIR / "data" / self.namespace),
            LEADPOOL_LOG_LEVEL="INFO",
        )
        env.update(extra)
        return env

    def start(self, service: str, **extra_env: str) -> Worker:
        return self.add(service, **extra_env).start()

    def start_all(self, *services: str) -> list[Worker]:
        """Launch workers together, then wait for each: they start in parallel."""
        launched = [self.add(service).launch() for service in services]
        return [worker.wait_ready() for worker in launched]

    def add(self, service: str, **extra_env: str) -> Worker:
        port = free_port()
        index = sum(1 for w in self.workers if w.service == service)
        worker = Worker(
            service=service,
            env=self.env(port, **extra_env),
            port=port,
            log_path=TEST_RUN_DIR / "logs" / self.namespace / f"{service}-{index}.log",
        )
        self.workers.append(worker)
        return worker

    def topic(self, name: str) -> str:
        return f"{self.namespace}.{name}"

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


def serving(deployment: Deployment, *services: str) -> Iterator[Deployment]:
    """For module fixtures: `services` started together, stopped after use."""
    try:
        deployment.start_all(*services)
        yield deployment
    finally:
        deployment.stop()
