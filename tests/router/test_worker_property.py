"""Arbitrary messages through a real router worker on the real broker.

Each message must end in exactly one outcome (pooled, merged or rejected),
counted once by the worker, and the worker must survive all of them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prometheus_client.parser import text_string_to_metric_families

from schemas.config import LeadpoolConfig
from tests.infra import wait_until
from tests.router.deployments import one_router
from tests.router.kafka_io import read_to_end
from tests.router.strategies import messages
from tests.workers import Deployment, example_config

pytestmark = [pytest.mark.kafka, pytest.mark.redis]

BATCH = 40  # messages per example, all on the intake before any is checked
CONFIG = LeadpoolConfig.model_validate(example_config())
PARTITIONS = CONFIG.topics.partitions


@pytest.fixture(scope="module")
def deployment(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    with one_router(
        "rprop", example_config(), kafka_bootstrap, redis_url, tmp_path_factory
    ) as deployment:
        yield deployment


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(batch=st.lists(messages, min_size=BATCH, max_size=BATCH))
def test_every_intake_message_ends_pooled_merged_or_rejected_once(
    deployment: Deployment, kafka_bootstrap: str, batch: list[bytes]
) -> None:
    asyncio.run(route_and_account(deployment, kafka_bootstrap, batch))


async def route_and_account(
    deployment: Deployment, bootstrap: str, batch: list[bytes]
) -> None:
    worker = deployment.workers[0]
    pool_topics = [deployment.topic(f"pool.{name}") for name in CONFIG.pool_names]
    leads_before = lead_ids(await read_to_end(bootstrap, pool_topics, PARTITIONS))
    counted_before = await outcomes(worker.url)

    positions = await send_all(deployment.topic("leads.intake"), bootstrap, batch)

    async def counted() -> dict[str, float] | None:
        now = await outcomes(worker.url)
        delta = {k: now.get(k, 0) - counted_before.get(k, 0) for k in now}
        return delta if sum(delta.values()) >= len(batch) else None

    delta = await wait_until(counted, timeout_s=60, message="messages not counted")
    assert sum(delta.values()) == len(batch)  # one outcome each, never two
    assert worker.ready()  # still alive and consuming

    rejected = await positions_on(bootstrap, deployment.topic("leads.rejected"))
    merged = await positions_on(bootstrap, deployment.topic("leads.merged"))
    ours_rejected = rejected & positions
    ours_merged = merged & positions
    assert not ours_rejected & ours_merged
    assert len(ours_rejected) == delta.get("rejected", 0)
    assert len(ours_merged) == delta.get("merged", 0)

    pooled_now = await read_to_end(bootstrap, pool_topics, PARTITIONS)
    new_leads = lead_ids(pooled_now) - leads_before
    assert len(new_leads) == delta.get("pooled", 0)
    assert len(batch) == len(ours_rejected) + len(ours_merged) + len(new_leads)


async def send_all(topic: str, bootstrap: str, batch: list[bytes]) -> set[str]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        sent = [await producer.send_and_wait(topic, payload) for payload in batch]
    finally:
        await producer.stop()
    return {f"{topic}:{meta.partition}:{meta.offset}" for meta in sent}


async def outcomes(url: str) -> dict[str, float]:
    async with httpx.AsyncClient() as http:
        text = (await http.get(f"{url}/metrics")).text
    return {
        sample.labels["outcome"]: sample.value
        for family in text_string_to_metric_families(text)
        if family.name == "leadpool_router_outcomes"
        for sample in family.samples
        if sample.name.endswith("_total")
    }


async def positions_on(bootstrap: str, topic: str) -> set[str]:
    found = set()
    for record in await read_to_end(bootstrap, [topic], PARTITIONS):
        event = json.loads(record.value)
        if "intake_offset" in event:  # a rejection
            where = (event["intake_topic"], event["intake_partition"])
            found.add(f"{where[0]}:{where[1]}:{event['intake_offset']}")
        else:  # a merge: its id is built from the intake position
            found.add(event["event_id"].removeprefix("merge:"))
    return found


def lead_ids(records: list[Any]) -> set[str]:
    return {json.loads(record.value)["lead"]["lead_id"] for record in records}
