"""The outbox relay survives a crash between publishing and its cursor."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from services.claims.outbox import OutboxRelay
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, config, pooled, rep
from tests.infra import collect, create_topics, unique_name

pytestmark = [pytest.mark.kafka]


class Crash(Exception):
    """The relay died after Kafka acknowledged, before the cursor moved."""


async def test_a_restarted_relay_loses_nothing_and_keeps_event_ids(
    parts: Parts, kafka_bootstrap: str
) -> None:
    topic = unique_name("events")
    await create_topics(kafka_bootstrap, [topic], partitions=2)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()

    async def publish(messages: list[tuple[str, bytes]]) -> None:
        for key, value in messages:
            await producer.send_and_wait(topic, value, key=key.encode())

    async def publish_then_crash(messages: list[tuple[str, bytes]]) -> None:
        await publish(messages)
        raise Crash

    ann = rep("ann")
    for i in range(5):
        await parts.inventory.stock(pooled(f"l{i}", pool="cold", score=40))
    await parts.claims.claim(config([ann]), ann, MONDAY_10, lead_id="l0")
    with pytest.raises(Crash):
        await OutboxRelay(parts.redis, parts.keys, publish_then_crash).relay_once()
    await parts.inventory.stock(pooled("l5", pool="cold", score=40))
    relayed = await OutboxRelay(parts.redis, parts.keys, publish).relay_once()
    await producer.stop()

    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest"
    )
    await consumer.start()
    records = await collect(consumer, 6 + 7)
    await consumer.stop()
    ids = Counter(json.loads(r.value)["event_id"] for r in records)
    assert relayed == 7  # the six unacknowledged entries again, and the new one
    assert len(ids) == 7  # every change once, under one stable id
    assert sorted(ids.values()) == [1] + [2] * 6
    assert await OutboxRelay(parts.redis, parts.keys, publish).relay_once() == 0
