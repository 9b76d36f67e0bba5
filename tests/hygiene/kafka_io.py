"""Producing lead events and ticks, and reading hygiene's commands, on Kafka."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from pydantic import BaseModel

from schemas.commands import HygieneCommand
from tests.infra import unique_name, wait_until
from tests.workers import Deployment, example_config, write_config

T = TypeVar("T")

TOKENS = {"olga": "olga-ops-token", "alice": "alice-rep-token"}


def hygiene_config(path: Path, **hygiene: Any) -> Path:
    """The example config, fast sweeps, and known tokens for ops and a rep."""
    document = example_config()
    users: list[dict[str, Any]] = document["users"]  # type: ignore[assignment]
    for user in users:
        if user["id"] in TOKENS:
            digest = hashlib.sha256(TOKENS[user["id"]].encode()).hexdigest()
            user["token_sha256"] = [digest]
    document["hygiene"] = {
        "aging": {"sweep_interval_s": 0.2},
        "leader": {"interval_s": 0.3},
        **hygiene,
    }
    return write_config(path, document)


async def produce(bootstrap: str, topic: str, *events: BaseModel) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for event in events:
            key = str(getattr(event, "lead_id", "")).encode()
            await producer.send_and_wait(
                topic, event.model_dump_json().encode(), key=key
            )
    finally:
        await producer.stop()


async def tick(deployment: Deployment, moment: datetime) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=deployment.kafka_bootstrap)
    await producer.start()
    try:
        body = json.dumps({"now": moment.isoformat()}).encode()
        await producer.send_and_wait(deployment.topic("leadpool.clock"), body)
    finally:
        await producer.stop()


def one_worker(
    prefix: str, kafka_bootstrap: str, redis_url: str, config_path: Path, **env: str
) -> Iterator[Deployment]:
    """A module's deployment of one hygiene worker, stopped when done."""
    deployment = Deployment(
        unique_name(prefix), kafka_bootstrap, redis_url, config_path
    )
    try:
        deployment.start("hygiene", **env)
        yield deployment
    finally:
        deployment.stop()


async def read_until(
    deployment: Deployment,
    topic: str,
    parse: Callable[[bytes], T],
    enough: Callable[[list[T]], bool],
    timeout_s: float = 30,
) -> list[T]:
    """Every record of `topic` from the start, parsed, once `enough` holds."""
    consumer = AIOKafkaConsumer(
        deployment.topic(topic),
        bootstrap_servers=deployment.kafka_bootstrap,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    seen: list[T] = []
    try:

        async def arrived() -> bool:
            batches = await consumer.getmany(timeout_ms=200)
            for records in batches.values():
                seen.extend(parse(r.value) for r in records)
            return enough(seen)

        await wait_until(
            arrived, timeout_s=timeout_s, message=lambda: f"{topic}: {seen}"
        )
    finally:
        await consumer.stop()
    return seen


async def commands_until(
    deployment: Deployment,
    enough: Callable[[list[HygieneCommand]], bool],
    timeout_s: float = 30,
) -> list[HygieneCommand]:
    """Every command on hygiene.actions from the start, once `enough` holds."""
    parse = HygieneCommand.model_validate_json
    return await read_until(deployment, "hygiene.actions", parse, enough, timeout_s)
