"""Hygiene's default clock: event time, moved by the leader's wall-time ticks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from services.common.clock import WallClock
from services.common.settings import ServiceSettings
from services.hygiene.event_clock import EventClock, build_clock
from tests.hygiene.kafka_io import hygiene_config, one_worker, read_until
from tests.infra import wait_until
from tests.workers import Deployment


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
