"""The pinned broker, clients and Redis work together as the services need."""

from __future__ import annotations

import asyncio
import os
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from tests import infra


@pytest.mark.kafka
async def test_idempotent_producer_round_trips_keyed_messages_in_per_key_order(
    kafka_bootstrap: str, unique_prefix: str
) -> None:
    topic = f"{unique_prefix}-orders"
    await infra.create_topics(kafka_bootstrap, [topic])
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap, enable_idempotence=True, acks="all"
    )
    await producer.start()
    try:
        sends = [
            await producer.send(topic, key=f"k{i % 10}".encode(), value=str(i).encode())
            for i in range(100)
        ]
        await asyncio.gather(*sends)
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka_bootstrap,
        group_id=f"{unique_prefix}-readers",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        records = await infra.collect(consumer, 100, timeout_s=60)
    finally:
        await consumer.stop()

    by_key: dict[bytes, list[int]] = defaultdict(list)
    for record in records:
        by_key[record.key].append(int(record.value))
    assert len(records) == 100
    assert {key: values for key, values in by_key.items()} == {
        f"k{k}".encode(): list(range(k, 100, 10)) for k in range(10)
    }


@pytest.mark.kafka
async def test_faust_app_relays_messages_between_topics(
    kafka_bootstrap: str, unique_prefix: str, tmp_path: Path
) -> None:
    source, sink = f"{unique_prefix}-in", f"{unique_prefix}-out"
    await infra.create_topics(kafka_bootstrap, [source, sink])
    log_path = tmp_path / "faust.log"
    env = {
        **os.environ,
        "RELAY_APP_ID": f"{unique_prefix}-relay",
        "RELAY_BOOTSTRAP": kafka_bootstrap,
        "RELAY_SOURCE": source,
        "RELAY_SINK": sink,
        "RELAY_DATADIR": str(tmp_path / "faust-data"),
    }
    with log_path.open("wb") as log:
        worker = await asyncio.create_subprocess_exec(
            sys.executable,
            str(infra.REPO_ROOT / "tests" / "faust_relay_app.py"),
            env=env,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
            cwd=tmp_path,
        )
    try:
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
        await producer.start()
        try:
            for i in range(20):
                await producer.send_and_wait(
                    source, key=b"lead", value=f"m{i}".encode()
                )
        finally:
            await producer.stop()

        consumer = AIOKafkaConsumer(
            sink,
            bootstrap_servers=kafka_bootstrap,
            group_id=f"{unique_prefix}-check",
            auto_offset_reset="earliest",
        )
        await consumer.start()
        try:
            records = await infra.collect(consumer, 20, timeout_s=120)
        except AssertionError:
            tail = log_path.read_text(errors="replace")[-4000:]
            raise AssertionError(
                f"relay incomplete; Faust worker log:\n{tail}"
            ) from None
        finally:
            await consumer.stop()
    finally:
        if worker.returncode is None:
            worker.terminate()
            try:
                await asyncio.wait_for(worker.wait(), 30)
            except TimeoutError:
                worker.kill()
                await worker.wait()

    assert [r.value for r in records] == [f"m{i}".encode() for i in range(20)]
    assert {r.key for r in records} == {b"lead"}


@pytest.mark.redis
async def test_redis_answers_and_keeps_an_append_only_file(
    redis_url: str, unique_prefix: str
) -> None:
    client = aioredis.from_url(redis_url, decode_responses=True)
    try:
        key = f"{unique_prefix}:probe"
        await client.set(key, "1", ex=60)
        assert await client.get(key) == "1"
        if infra.redis_is_external():
            pytest.skip("REDIS_URL given: its configuration is not ours to check")
        assert await client.config_get("appendonly") == {"appendonly": "yes"}
    finally:
        await client.aclose()
