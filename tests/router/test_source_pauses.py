"""Hygiene pauses a low-priority source and resumes it; the router obeys."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from schemas.commands import Action, HygieneCommand
from tests.infra import unique_name, wait_until
from tests.router.deployments import one_router
from tests.router.kafka_io import read_all, values
from tests.workers import Deployment, example_config

pytestmark = [pytest.mark.kafka, pytest.mark.redis]


@pytest.fixture(scope="module")
def deployment(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    with one_router(
        "rpause", example_config(), kafka_bootstrap, redis_url, tmp_path_factory
    ) as deployment:
        yield deployment


def command(action: Action, source: str) -> bytes:
    return (
        HygieneCommand(
            command_id=unique_name("cmd"),
            action=action,
            policy="overflow",
            issued_at=datetime.now(UTC),
            config_version="test",
            pool="cold",
            source=source,
        )
        .model_dump_json()
        .encode()
    )


async def paused_by_hygiene(deployment: Deployment) -> list[Any]:
    async with httpx.AsyncClient(base_url=deployment.workers[0].url) as http:
        return list((await http.get("/health")).json()["paused_by_hygiene"])


async def test_a_source_paused_by_hygiene_is_held_until_hygiene_resumes_it(
    deployment: Deployment, producer: AIOKafkaProducer, kafka_bootstrap: str
) -> None:
    actions = deployment.topic("hygiene.actions")
    await producer.send_and_wait(actions, command(Action.PAUSE_SOURCE, "ads"))
    await wait_until(
        lambda: paused_by_hygiene(deployment), message="pause never applied"
    )

    ad = {"source": "ads", "external_id": "a-1", "email": "a1@x.example"}
    web = {"source": "web", "external_id": "b-1", "email": "b1@x.example"}
    ad |= {"score": 20, "company": "Acme"}
    web |= {"score": 20, "company": "Acme"}
    for payload in (ad, web):
        await producer.send_and_wait(
            deployment.topic("leads.intake"), json.dumps(payload).encode()
        )
    held = values(await read_all(kafka_bootstrap, deployment.topic("leads.held"), 1))
    assert [json.loads(h["original"])["external_id"] for h in held] == ["a-1"]

    await producer.send_and_wait(actions, command(Action.RESUME_SOURCE, "ads"))
    cold = values(await read_all(kafka_bootstrap, deployment.topic("pool.cold"), 2))
    assert sorted(c["lead"]["external_id"] for c in cold) == ["a-1", "b-1"]
    assert await paused_by_hygiene(deployment) == []
