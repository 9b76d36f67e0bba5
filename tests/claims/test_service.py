"""The claims worker end to end: pool topic in, HTTP API, leads.events out.

Real Kafka, real Redis, one claims worker process for the whole module.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from click.testing import CliRunner

from schemas.commands import Action, HygieneCommand
from schemas.events import Removal
from services.cli.main import cli
from tests.claims.support import pooled
from tests.infra import collect, unique_name, wait_until, wait_until_sync
from tests.workers import Deployment, example_config, write_config

pytestmark = [pytest.mark.kafka, pytest.mark.redis]

ALICE = {"Authorization": "Bearer demo-alice"}
BOB = {"Authorization": "Bearer demo-bob"}
EVE = {"Authorization": "Bearer demo-eve"}
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@pytest.fixture(scope="module")
def service(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    document = example_config()
    document["windows"] = {
        "timezone": "UTC",
        "business_hours": {"start": "00:00", "end": "23:59:59.999", "days": DAYS},
    }
    # Fast-lane offers expire at once, so the round-robin fallback shows.
    document["routing"]["fast_lane"] = {"accept_within_s": 0.5}
    config_path: Path = tmp_path_factory.mktemp("claims") / "leadpool.yaml"
    write_config(config_path, document)
    deployment = Deployment(
        unique_name("claims"), kafka_bootstrap, redis_url, config_path
    )
    try:
        worker = deployment.start("claims")
        wait_until_sync(
            lambda: httpx.get(f"{worker.url}/me", headers=EVE).status_code == 200,
            message="claims view never became ready",
        )
        yield deployment
    finally:
        deployment.stop()
        asyncio.run(forget(redis_url, deployment.namespace))


async def forget(redis_url: str, namespace: str) -> None:
    """Drop the deployment's Redis view: the shared server keeps no litter."""
    redis = aioredis.from_url(redis_url, decode_responses=True)
    view = [k async for k in redis.scan_iter(f"lp:{namespace}:*", count=10_000)]
    if view:
        await redis.delete(*view)
    await redis.aclose()


@pytest.fixture
async def http(service: Deployment) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=service.workers[-1].url) as client:
        yield client


async def send_lead(
    service: Deployment, kafka: str, pool: str, score: int, fast_lane: bool = False
) -> str:
    lead_id = unique_name("lead")
    at = datetime.now(UTC)
    lead = pooled(lead_id, pool=pool, score=score, at=at, fast_lane=fast_lane)
    await send(kafka, service.topic(f"pool.{pool}"), lead_id, lead.model_dump_json())
    return lead_id


async def send(kafka: str, topic: str, key: str, value: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka, acks="all")
    await producer.start()
    await producer.send_and_wait(topic, value.encode(), key=key.encode())
    await producer.stop()


async def listed(http: httpx.AsyncClient, pool: str, lead_id: str) -> bool:
    answer = await http.get(f"/pools/{pool}/leads", headers=ALICE)
    leads = answer.json() if answer.status_code == 200 else []  # 503: rebuilding
    return any(lead["lead_id"] == lead_id for lead in leads)


async def events_of(
    service: Deployment, kafka: str, lead_id: str, want: int
) -> list[Any]:
    consumer = AIOKafkaConsumer(
        service.topic("leads.events"),
        bootstrap_servers=kafka,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    found: list[Any] = []
    try:

        async def enough() -> bool:
            batch = await collect(consumer, 1, timeout_s=30)
            found.extend(
                json.loads(r.value) for r in batch if r.key == lead_id.encode()
            )
            return len(found) >= want

        await wait_until(enough, message=f"{want} events of {lead_id}")
    finally:
        await consumer.stop()
    return found


async def test_only_health_answers_without_a_token(http: httpx.AsyncClient) -> None:
    assert (await http.get("/health")).status_code == 200
    assert (await http.get("/openapi.json")).status_code == 401

    spec = (await http.get("/openapi.json", headers=EVE)).json()

    assert "/leads/{lead_id}/why-not" in spec["paths"]
    assert "ClaimedLead" in spec["components"]["schemas"]


async def test_a_claimed_lead_is_worked_and_every_change_published(
    service: Deployment, http: httpx.AsyncClient, kafka_bootstrap: str
) -> None:
    lead_id = await send_lead(service, kafka_bootstrap, "cold", 30)
    await wait_until(lambda: listed(http, "cold", lead_id), message="lead listed")
    shown = (await http.get("/pools/cold/leads", headers=ALICE)).json()

    claimed = await http.post(f"/leads/{lead_id}/claim", headers=ALICE)
    contact = await http.post(f"/leads/{lead_id}/contact", headers=ALICE, json={})
    won = {"outcome": "closed_won", "deal_size": 8000}
    outcome = await http.post(f"/leads/{lead_id}/outcome", headers=ALICE, json=won)

    assert [claimed.status_code, contact.status_code, outcome.status_code] == [200] * 3
    hidden = next(lead["lead"] for lead in shown if lead["lead_id"] == lead_id)
    assert hidden["email"] == hidden["phone"] == "hidden until claimed"
    assert claimed.json()["lead"]["email"] == f"{lead_id}@example.org"
    events = await events_of(service, kafka_bootstrap, lead_id, 4)
    assert [e["type"] for e in events] == ["stocked", "claimed", "contacted", "outcome"]
    assert events[1]["event_id"] == claimed.json()["event_id"]
    assert len({e["event_id"] for e in events}) == 4


async def test_refusals_name_the_permission_or_the_rule(
    service: Deployment, http: httpx.AsyncClient, kafka_bootstrap: str
) -> None:
    lead_id = await send_lead(service, kafka_bootstrap, "hot", 90)
    await wait_until(lambda: listed(http, "hot", lead_id), message="lead listed")

    executive = await http.post("/pools/hot/claim", headers=EVE)
    tiered = await http.post(f"/leads/{lead_id}/claim", headers=BOB)
    why = (await http.get(f"/leads/{lead_id}/why-not", headers=BOB)).json()
    bad = await http.post(f"/leads/{lead_id}/return", headers=BOB, json={"reason": 1})

    assert executive.status_code == 403 and executive.json()["permission"] == "claim"
    assert tiered.status_code == 403 and tiered.json()["rule"] == "tier"
    assert why["would_claim"] is False
    assert {r["rule"] for r in why["rules"] if not r["passed"]} == {"tier"}
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "reason"


async def test_unanswered_fast_lane_leads_are_assigned_and_commands_applied(
    service: Deployment, http: httpx.AsyncClient, kafka_bootstrap: str
) -> None:
    fast = await send_lead(service, kafka_bootstrap, "hot", 95, fast_lane=True)
    stale = await send_lead(service, kafka_bootstrap, "cold", 20)
    await wait_until(lambda: listed(http, "cold", stale), message="lead listed")
    remove = HygieneCommand(
        command_id=unique_name("cmd"),
        action=Action.REMOVE,
        policy="age-7d",
        issued_at=datetime.now(UTC),
        config_version="test",
        lead_id=stale,
        destination=Removal.NURTURE,
    )
    topic = service.topic("hygiene.actions")
    await send(kafka_bootstrap, topic, stale, remove.model_dump_json())

    assigned = await events_of(service, kafka_bootstrap, fast, 2)
    removed = await events_of(service, kafka_bootstrap, stale, 2)
    assert assigned[1]["type"] == "claimed" and assigned[1]["auto_assigned"] is True
    assert assigned[1]["assignment_reason"] == "fast_lane"
    assert removed[1]["type"] == "removed" and removed[1]["policy"] == "age-7d"


async def test_an_emptied_redis_is_rebuilt_from_kafka(
    service: Deployment, http: httpx.AsyncClient, kafka_bootstrap: str, redis_url: str
) -> None:
    lead_id = await send_lead(service, kafka_bootstrap, "warm", 60)
    await wait_until(lambda: listed(http, "warm", lead_id), message="lead listed")
    assert (
        await http.post(f"/leads/{lead_id}/claim", headers=ALICE)
    ).status_code == 200
    await events_of(service, kafka_bootstrap, lead_id, 2)
    before = (await http.get("/me/limits", headers=ALICE)).json()["limits"]

    service.workers[-1].stop()
    await forget(redis_url, service.namespace)
    worker = service.start("claims")
    await wait_until(
        lambda: "rebuilt from Kafka" in worker.log_path.read_text(),
        message="rebuild never finished",
    )

    async with httpx.AsyncClient(base_url=worker.url) as fresh:
        again = await fresh.post(f"/leads/{lead_id}/claim", headers=BOB)
        limits = (await fresh.get("/me/limits", headers=ALICE)).json()["limits"]
    assert again.status_code == 409 and again.json()["rule"] == "not_available"
    assert limits == before  # open leads, quotas and caps all restored


async def test_ops_use_the_same_actions_from_the_cli(service: Deployment) -> None:
    url = service.workers[-1].url
    runner = CliRunner()

    pools = runner.invoke(
        cli, ["claims", "--url", url, "--token", "demo-olga", "pools"]
    )
    refused = runner.invoke(
        cli, ["claims", "--url", url, "--token", "demo-eve", "claim", "nope"]
    )

    assert pools.exit_code == 0 and "quarantine" in pools.output
    assert refused.exit_code == 1 and "404 No such lead" in refused.output


async def test_a_rep_works_a_lead_from_the_cli(
    service: Deployment, http: httpx.AsyncClient, kafka_bootstrap: str
) -> None:
    # The best lead is claimed first; the other keeps the pool non-empty.
    lead_id = await send_lead(service, kafka_bootstrap, "cold", 45)
    spare = await send_lead(service, kafka_bootstrap, "cold", 5)
    await wait_until(lambda: listed(http, "cold", spare), message="lead listed")
    await wait_until(lambda: listed(http, "cold", lead_id), message="lead listed")
    url = service.workers[-1].url

    def as_carol(*args: str) -> Any:
        run = CliRunner().invoke(
            cli, ["claims", "--url", url, "--token", "demo-carol", *args]
        )
        assert run.exit_code == 0, run.output
        return run.output

    assert json.loads(as_carol("next", "cold"))[0]["lead_id"] == lead_id
    assert '"outcome": "contacted"' in as_carol(
        "contact", lead_id, "--channel", "phone"
    )
    as_carol("outcome", lead_id, "closed_won", "--deal-size", "1200")
    as_carol("presence", "away")
    assert "FAIL availability:away" in as_carol("why-not", "--pool", "cold")
    as_carol("presence", "back")

    kinds = [e["type"] for e in await events_of(service, kafka_bootstrap, lead_id, 4)]
    assert kinds == ["stocked", "claimed", "contacted", "outcome"]

    async def history_recorded() -> bool:
        olga = {"Authorization": "Bearer demo-olga"}
        detail = (await http.get(f"/leads/{lead_id}", headers=olga)).json()
        return [event["type"] for event in detail["history"]] == kinds

    await wait_until(history_recorded, message="history recorded")


async def test_a_view_lost_while_running_is_rebuilt_without_a_restart(
    service: Deployment, http: httpx.AsyncClient, kafka_bootstrap: str, redis_url: str
) -> None:
    lead_id = await send_lead(service, kafka_bootstrap, "warm", 70)
    await wait_until(lambda: listed(http, "warm", lead_id), message="lead listed")
    worker = service.workers[-1]
    rebuilds_before = worker.log_path.read_text().count("rebuilt from Kafka")

    await forget(redis_url, service.namespace)

    await wait_until(
        lambda: (
            worker.log_path.read_text().count("rebuilt from Kafka") > rebuilds_before
        ),
        message="the running worker never rebuilt its view",
    )
    assert "claims view lost in Redis while running" in worker.log_path.read_text()
    await wait_until(lambda: listed(http, "warm", lead_id), message="lead back")
