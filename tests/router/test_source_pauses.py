"""Hygiene's intake commands on a real router worker: source pauses and
resumes, pool audits and moved score thresholds."""

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


def command(action: Action, source: str | None = None, **fields: Any) -> bytes:
    return (
        HygieneCommand(
            command_id=unique_name("cmd"),
            action=action,
            policy="overflow",
            issued_at=datetime.now(UTC),
            config_version="test",
            pool=fields.pop("pool", "cold"),
            source=source,
            **fields,
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


async def health(deployment: Deployment) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=deployment.workers[0].url) as http:
        answer: dict[str, Any] = (await http.get("/health")).json()
        return answer


async def test_an_audited_pool_takes_no_new_leads_and_a_raised_bar_asks_more(
    deployment: Deployment, producer: AIOKafkaProducer, kafka_bootstrap: str
) -> None:
    actions = deployment.topic("hygiene.actions")
    await producer.send_and_wait(actions, command(Action.AUDIT, pool="warm"))
    raise_hot = command(Action.ADJUST_INTAKE, pool="hot", threshold_delta=10)
    await producer.send_and_wait(actions, raise_hot)
    await producer.send_and_wait(actions, raise_hot)  # a replay moves nothing

    async def applied() -> bool:
        now = await health(deployment)
        return now["audited_pools"] == ["warm"] and now["score_shift"] == {"hot": 10}

    await wait_until(applied, message="audit and threshold never applied")

    marker = unique_name("ctl")
    leads = {
        "mql": {"source": "web", "status": "MQL", "score": 60},
        "demo-85": {"source": "demo_request", "score": 85},
        "demo-95": {"source": "demo_request", "score": 95},
    }
    for name, fields in leads.items():
        payload = fields | {
            "external_id": f"{marker}-{name}",
            "email": f"{name}@{marker}.example",
            "company": "Acme",
        }
        await producer.send_and_wait(
            deployment.topic("leads.intake"), json.dumps(payload).encode()
        )

    def ours(records: list[Any]) -> dict[str, dict[str, Any]]:
        return {
            v["lead"]["external_id"].removeprefix(f"{marker}-"): v
            for v in values(records)
            if v["lead"]["external_id"].startswith(marker)
        }

    cold_topic = deployment.topic("pool.cold")
    cold = ours(
        await read_all(kafka_bootstrap, cold_topic, 2, count=lambda r: len(ours(r)))
    )
    hot_topic = deployment.topic("pool.hot")
    hot = ours(
        await read_all(kafka_bootstrap, hot_topic, 1, count=lambda r: len(ours(r)))
    )
    assert set(cold) == {"mql", "demo-85"} and set(hot) == {"demo-95"}
    assert "'warm' in audit" in cold["mql"]["reason"]
    assert "score threshold +10 by hygiene" in hot["demo-95"]["reason"]
