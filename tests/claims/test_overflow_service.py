"""Overflow end to end: hygiene switches the mode, claims drains the backlog.

Real Kafka and Redis, one claims and one hygiene worker.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from schemas.commands import Action, HygieneCommand
from tests.claims.support import pooled
from tests.claims.test_service import forget
from tests.hygiene.kafka_io import commands_until, read_until
from tests.infra import unique_name, wait_until
from tests.test_pipeline import always_open
from tests.workers import Deployment, example_config, serving, write_config

pytestmark = [pytest.mark.kafka, pytest.mark.redis]

OLGA = {"Authorization": "Bearer demo-olga"}


@pytest.fixture(scope="module")
def overflow(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    document = always_open(example_config())
    # Four reps take the hundred and one leads over the low-water mark.
    document["quotas"] = {
        "max_open_leads": 1000,
        "round_robin": {"overflow_backlog_per_s": 50},
    }
    document["hygiene"] = {"leader": {"interval_s": 0.3}}
    config_path = write_config(
        tmp_path_factory.mktemp("overflow") / "leadpool.yaml", document
    )
    deployment = Deployment(unique_name("ovf"), kafka_bootstrap, redis_url, config_path)
    try:
        yield from serving(deployment, "claims", "hygiene")
    finally:
        asyncio.run(forget(redis_url, deployment.namespace))


async def pool_leads(deployment: Deployment, pool: str, count: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=deployment.kafka_bootstrap)
    await producer.start()
    try:
        now = datetime.now(UTC)
        for n in range(count):
            lead = pooled(f"{pool}-{n}", pool=pool, score=60, at=now)
            await producer.send(
                deployment.topic(f"pool.{pool}"),
                lead.model_dump_json().encode(),
                key=lead.lead.lead_id.encode(),
            )
        await producer.flush()
    finally:
        await producer.stop()


def switches(commands: list[HygieneCommand], pool: str) -> list[str | None]:
    return [
        c.mode for c in commands if c.action is Action.SET_POOL_MODE and c.pool == pool
    ]


async def pools(deployment: Deployment) -> dict[str, Any]:
    claims = next(w for w in deployment.workers if w.service == "claims")
    async with httpx.AsyncClient(base_url=claims.url) as http:
        answer = await http.get("/pools", headers=OLGA)
    return {p["name"]: p for p in answer.json()} if answer.status_code == 200 else {}


async def test_a_pool_over_300_drains_under_200_and_one_at_299_stays_quiet(
    overflow: Deployment,
) -> None:
    await pool_leads(overflow, "warm", 300)
    await pool_leads(overflow, "cold", 299)

    commands = await commands_until(
        overflow, lambda seen: switches(seen, "warm")[-1:] == ["claim"], 60
    )
    shown = await wait_until(
        lambda: _settled(overflow), message="pool depths never settled"
    )

    assert switches(commands, "warm") == ["auto_assign", "claim"]
    assert switches(commands, "cold") == []
    assert (shown["warm"]["depth"], shown["warm"]["mode"]) == (199, "claim")
    assert (shown["cold"]["depth"], shown["cold"]["mode"]) == (299, "claim")
    claimed = await read_until(
        overflow, "leads.events", json.loads, lambda e: len(_assigned(e)) >= 101
    )
    assert len(_assigned(claimed)) == 101
    assert {e["pool"] for e in _assigned(claimed)} == {"warm"}


async def _settled(deployment: Deployment) -> dict[str, Any] | None:
    shown = await pools(deployment)
    warm = shown.get("warm", {})
    return shown if (warm.get("depth"), warm.get("mode")) == (199, "claim") else None


def _assigned(events: list[Any]) -> list[Any]:
    return [
        e
        for e in events
        if e["type"] == "claimed" and e.get("assignment_reason") == "overflow"
    ]
