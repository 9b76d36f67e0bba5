"""Reading and writing the test deployment's topics with plain aiokafka."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from tests.infra import wait_until


async def read_all(
    bootstrap: str,
    topic: str,
    want: int,
    timeout_s: float = 30,
    count: Callable[[list[Any]], int] = len,
) -> list[Any]:
    """Every record of `topic` from the start, once `count` of them reaches
    `want` (by default: once at least `want` records arrived)."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest"
    )
    await consumer.start()
    records: list[Any] = []
    try:

        async def enough() -> bool:
            batches = await consumer.getmany(timeout_ms=200)
            records.extend(r for batch in batches.values() for r in batch)
            return count(records) >= want

        await wait_until(
            enough,
            timeout_s=timeout_s,
            interval_s=0,
            message=lambda: f"{want} on {topic}, got {count(records)}",
        )
    finally:
        await consumer.stop()
    return records


def values(records: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(record.value) for record in records]


def distinct_leads(records: list[Any]) -> int:
    return len({json.loads(record.value)["lead"]["lead_id"] for record in records})


async def read_to_end(
    bootstrap: str, topics: list[str], partitions_each: int
) -> list[Any]:
    """Every record of `topics` up to their end offsets as of now."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        partitions = [
            TopicPartition(topic, partition)
            for topic in topics
            for partition in range(partitions_each)
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[Any] = []

        async def caught_up() -> bool:
            batches = await consumer.getmany(timeout_ms=200)
            records.extend(r for batch in batches.values() for r in batch)
            return all([await consumer.position(tp) >= ends[tp] for tp in partitions])

        await wait_until(caught_up, interval_s=0, message=f"reading {topics}")
    finally:
        await consumer.stop()
    return records
