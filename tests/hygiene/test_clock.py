"""Hygiene's default clock: event time, moved by the leader's wall-time ticks."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from services.common.clock import WallClock
from services.common.settings import ServiceSettings
from services.hygiene.event_clock import (
    TAIL_TICKS,
    EventClock,
    build_clock,
    follow_ticks,
    tick,
)
from tests.hygiene.kafka_io import hygiene_config, one_worker, read_until
from tests.infra import create_topics, unique_name, wait_until
from tests.workers import Deployment

VIRTUAL = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)  # no wall-time tick reaches it


@pytest.fixture(scope="module")
def deployment(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    config_path = hygiene_config(tmp_path_factory.mktemp("hygiene") / "leadpool.yaml")
    yield from one_worker(
        "hyc", kafka_bootstrap, redis_url, config_path, LEADPOOL_CLOCK_TICK_S="0.2"
    )


def test_hygiene_decides_on_event_time_unless_told_wall(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LEADPOOL_CLOCK", raising=False)
    assert isinstance(build_clock(ServiceSettings().clock), EventClock)
    monkeypatch.setenv("LEADPOOL_CLOCK", "wall")
    assert isinstance(build_clock(ServiceSettings().clock), WallClock)


def parse_tick(value: bytes) -> datetime:
    return datetime.fromisoformat(json.loads(value)["now"])


@pytest.mark.kafka
async def test_with_no_lead_events_the_leader_ticks_event_time_on(
    deployment: Deployment,
) -> None:
    started = datetime.now(UTC)
    tick, *_ = await read_until(deployment, "leadpool.clock", parse_tick, bool)
    assert abs(tick - started) < timedelta(minutes=1)
    async with httpx.AsyncClient(base_url=deployment.workers[0].url) as client:

        async def moved() -> bool:
            now = (await client.get("/health")).json()["now"]
            return datetime.fromisoformat(now) >= tick

        await wait_until(moved, message="the tick never moved event time")


@pytest.fixture
def quiet(kafka_bootstrap: str, redis_url: str, tmp_path: Path) -> Iterator[Deployment]:
    """A worker without a heartbeat: only the test's ticks move its time."""
    config_path = hygiene_config(tmp_path / "leadpool.yaml")
    yield from one_worker(
        "hyq", kafka_bootstrap, redis_url, config_path, LEADPOOL_CLOCK_TICK_S="0"
    )


async def worker_now(deployment: Deployment) -> datetime:
    async with httpx.AsyncClient(base_url=deployment.workers[0].url) as client:
        now = (await client.get("/health")).json()["now"]
    return datetime.fromisoformat(now)


@pytest.mark.kafka
async def test_a_restarted_worker_resumes_at_the_latest_tick(
    quiet: Deployment,
) -> None:
    await send_ticks(quiet.kafka_bootstrap, quiet.topic("leadpool.clock"), 3)
    latest = VIRTUAL + timedelta(minutes=2)

    async def at_latest() -> bool:
        return await worker_now(quiet) == latest

    await wait_until(at_latest, message="the worker never read the latest tick")
    worker = quiet.workers[0]
    worker.stop()
    worker.start()
    await wait_until(at_latest, message="the restarted worker lost the latest tick")


@pytest.mark.kafka
async def test_a_follower_reads_only_the_tail_of_the_clock_topic(
    kafka_bootstrap: str,
) -> None:
    topic = unique_name("clock")
    await create_topics(kafka_bootstrap, [topic], partitions=1)
    # A tick older than the tail, far ahead of the rest: read, it would hold
    # the follower's time there, since time never runs backwards.
    await send_ticks(kafka_bootstrap, topic, 1, start=VIRTUAL + timedelta(days=365))
    await send_ticks(kafka_bootstrap, topic, TAIL_TICKS)
    latest = VIRTUAL + timedelta(minutes=TAIL_TICKS - 1)
    clock = EventClock()

    following = asyncio.create_task(follow_ticks(kafka_bootstrap, topic, clock))
    try:
        await wait_until(
            lambda: clock.now() == latest, message=lambda: f"at {clock.now()}"
        )
    finally:
        following.cancel()
        with pytest.raises(asyncio.CancelledError):
            await following


async def send_ticks(
    bootstrap: str, topic: str, count: int, start: datetime = VIRTUAL
) -> None:
    """`count` ticks a minute apart from `start`, in order."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for n in range(count):
            await producer.send(topic, tick(start + timedelta(minutes=n)))
        await producer.flush()
    finally:
        await producer.stop()
