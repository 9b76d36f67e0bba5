"""One real router worker on the real broker: the intake doors end to end."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from click.testing import CliRunner

from schemas.config import LeadpoolConfig
from services.cli.main import cli
from services.common.live_config import publish_config
from services.common.settings import ServiceSettings
from tests.infra import unique_name, wait_until
from tests.router.deployments import one_router
from tests.router.kafka_io import read_all, values
from tests.workers import Deployment, example_config

pytestmark = [pytest.mark.kafka, pytest.mark.redis]

API_KEY = "key-webform"
OLGA = {"Authorization": "Bearer demo-olga"}  # ops: may view every pool


def router_config() -> dict[str, Any]:
    document = example_config()
    document["routing"]["sources"] = [
        {
            "name": "webform",
            "api_key_sha256": [hashlib.sha256(API_KEY.encode()).hexdigest()],
        }
    ]
    return document


@pytest.fixture(scope="module")
def deployment(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    with one_router(
        "router", router_config(), kafka_bootstrap, redis_url, tmp_path_factory
    ) as deployment:
        yield deployment


def lead(**fields: Any) -> dict[str, Any]:
    return {
        "source": "web",
        "email": "kim@initech.example",
        "company": "Initech",
        **fields,
    }


def webform(**fields: Any) -> dict[str, Any]:
    """A webhook lead: the API key tells its source."""
    return {"email": "kim@initech.example", "company": "Initech", **fields}


async def test_a_duplicate_with_a_higher_score_is_merged_and_moved(
    deployment: Deployment, producer: AIOKafkaProducer, kafka_bootstrap: str
) -> None:
    intake = deployment.topic("leads.intake")
    first = lead(source="demo_request", external_id="m-1", score=30)
    await producer.send_and_wait(intake, json.dumps(first).encode())
    await producer.send_and_wait(intake, json.dumps({**first, "score": 86}).encode())

    cold = values(await read_all(kafka_bootstrap, deployment.topic("pool.cold"), 1))
    hot = values(await read_all(kafka_bootstrap, deployment.topic("pool.hot"), 1))
    merged = values(
        await read_all(kafka_bootstrap, deployment.topic("leads.merged"), 1)
    )

    assert cold[0]["lead"]["lead_id"] == hot[0]["lead"]["lead_id"]
    assert hot[0]["rule"] == "hot-demo-request"
    assert (merged[0]["pool_before"], merged[0]["pool_after"]) == ("cold", "hot")


async def test_the_webhook_needs_a_key_and_names_every_bad_field(
    deployment: Deployment, kafka_bootstrap: str
) -> None:
    marker = unique_name("hook")
    batch = [
        webform(score=40),
        webform(email="nope", score=150, external_id=marker),
        lead(score=9, external_id=marker),
    ]
    async with httpx.AsyncClient(base_url=deployment.workers[0].url) as http:
        anonymous = await http.post("/leads", json=webform(score=40))
        invalid = await http.post("/leads", json=batch, headers={"X-Api-Key": API_KEY})

    assert anonymous.status_code == 401
    assert invalid.status_code == 422
    assert invalid.headers["Content-Type"].startswith("application/problem+json")
    fields = {error["field"] for error in invalid.json()["errors"]}
    assert fields == {"[1].email", "[1].score", "[2].source"}

    def ours(records: list[Any]) -> list[dict[str, Any]]:
        return [r for r in values(records) if marker in r["original"]]

    topic = deployment.topic("leads.rejected")
    records = await read_all(kafka_bootstrap, topic, 2, count=lambda r: len(ours(r)))
    found = ours(records)
    by_reason = {p["field"] for r in found for p in r["reasons"]}
    assert by_reason == {"email", "score", "source"}
    assert all(json.loads(r["original"])["external_id"] == marker for r in found)


async def test_an_accepted_webhook_lead_can_be_explained(
    deployment: Deployment, kafka_bootstrap: str
) -> None:
    async with httpx.AsyncClient(base_url=deployment.workers[0].url) as http:
        posted = webform(email="lee@hooli.example", score=60, status="MQL")
        answer = await http.post("/leads", json=posted, headers={"X-Api-Key": API_KEY})
        assert answer.status_code == 202, answer.text
        lead_id = answer.json()["leads"][0]["lead_id"]

        async def explained() -> Any:
            found = await http.get(f"/leads/{lead_id}", headers=OLGA)
            return found.json() if found.status_code == 200 else None

        why = await wait_until(explained, message="lead never explained")
        assert (await http.get(f"/leads/{lead_id}")).status_code == 401

    assert why["pool"] == "warm" and why["rule"] == "warm-mql"
    assert why["config_version"] == router_config()["version"]
    assert "status == 'MQL'" in why["reason"]


async def test_a_paused_source_is_held_then_replayed_in_order_on_resume(
    deployment: Deployment, producer: AIOKafkaProducer, kafka_bootstrap: str
) -> None:
    paused = router_config() | {"version": "pause.1"}
    paused["routing"] = {**paused["routing"], "paused_sources": ["webinar"]}
    await publish(deployment, paused)

    intake = deployment.topic("leads.intake")
    for n in range(3):
        webinar = lead(
            source="webinar", external_id=f"w-{n}", score=30, email=f"w{n}@a.example"
        )
        await producer.send_and_wait(intake, json.dumps(webinar).encode(), key=b"k")
    held = values(await read_all(kafka_bootstrap, deployment.topic("leads.held"), 3))
    assert [json.loads(h["original"])["external_id"] for h in held] == [
        "w-0",
        "w-1",
        "w-2",
    ]

    resumed = router_config() | {"version": "resume.2"}
    rule = {
        "name": "webinar-warm",
        "pool": "warm",
        "when": [{"field": "source", "op": "==", "value": "webinar"}],
    }
    resumed["routing"] = {
        **resumed["routing"],
        "rules": [rule, *resumed["routing"]["rules"]],
    }
    await publish(deployment, resumed)

    warm = values(await read_all(kafka_bootstrap, deployment.topic("pool.warm"), 4))
    # Pool partitions interleave on reading: the release order is routed_at.
    released = sorted(
        (w for w in warm if w["lead"]["source"] == "webinar"),
        key=lambda w: w["routed_at"],
    )
    assert [w["lead"]["external_id"] for w in released] == ["w-0", "w-1", "w-2"]
    assert {(w["rule"], w["config_version"]) for w in released} == {
        ("webinar-warm", "resume.2")
    }


async def publish(deployment: Deployment, document: dict[str, Any]) -> None:
    """Publish a config version and wait until the worker runs on it."""
    config = LeadpoolConfig.model_validate(copy.deepcopy(document))
    settings = ServiceSettings(
        KAFKA_BOOTSTRAP_SERVERS=deployment.kafka_bootstrap,
        namespace=f"{deployment.namespace}.",
    )
    await publish_config(settings, config)

    async def applied() -> bool:
        async with httpx.AsyncClient(base_url=deployment.workers[0].url) as http:
            health = (await http.get("/health")).json()
        return bool(health.get("config_version") == config.version)

    await wait_until(applied, message=f"config {config.version} never applied")


async def test_a_lead_over_90_is_offered_to_several_reps_at_once(
    deployment: Deployment, producer: AIOKafkaProducer, kafka_bootstrap: str
) -> None:
    hot = lead(
        source="demo_request", external_id="f-1", score=97, email="vip@a.example"
    )
    await producer.send_and_wait(
        deployment.topic("leads.intake"), json.dumps(hot).encode()
    )

    offers = values(
        await read_all(kafka_bootstrap, deployment.topic("leads.offers"), 3)
    )
    pooled = values(await read_all(kafka_bootstrap, deployment.topic("pool.hot"), 2))

    fast = next(p for p in pooled if p["lead"]["external_id"] == "f-1")
    assert fast["fast_lane"] is True
    assert {o["lead_id"] for o in offers} == {fast["lead"]["lead_id"]}
    assert len({o["rep_id"] for o in offers}) == 3


async def test_a_csv_import_reports_accepted_duplicates_and_rejects(
    deployment: Deployment, tmp_path: Path
) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "email,score,company,external_id\n"
        "a1@imp.example,40,Acme,i-1\n"
        "a1@imp.example,45,Acme,i-1\n"
        "broken,40,Acme,i-2\n"
        "a3@imp.example,30,Acme,12345\n"
    )
    run = CliRunner().invoke(
        cli,
        [
            "import",
            str(leads),
            "--router",
            deployment.workers[0].url,
            "--api-key",
            API_KEY,
        ],
    )

    assert run.exit_code == 0, run.output
    # A digit-only external id stays text: the lead is accepted.
    assert "accepted 3, duplicates 1, rejected 1" in run.output
    assert "rejected i-2: email:" in run.output
    rejects = (tmp_path / "leads.rejects.csv").read_text()
    assert "broken" in rejects and "a1@imp" not in rejects


async def test_a_json_lines_import_rejects_a_line_that_is_no_json(
    deployment: Deployment, tmp_path: Path, kafka_bootstrap: str
) -> None:
    leads = tmp_path / "leads.jsonl"
    good = {"email": "j1@imp.example", "score": 20, "company": "A"}
    broken = "{not json " + unique_name("line")
    leads.write_text(json.dumps(good) + f"\n{broken}\n")
    router = deployment.workers[0].url
    run = CliRunner().invoke(
        cli, ["import", str(leads), "--router", router, "--api-key", API_KEY]
    )

    assert run.exit_code == 0, run.output
    assert "accepted 1, duplicates 0, rejected 1" in run.output
    assert "line 2: not JSON" in run.output
    assert (tmp_path / "leads.rejects.jsonl").read_text() == f"{broken}\n"

    def ours(records: list[Any]) -> list[dict[str, Any]]:
        return [r for r in values(records) if r["original"] == broken]

    topic = deployment.topic("leads.rejected")
    rejected = ours(
        await read_all(kafka_bootstrap, topic, 1, count=lambda r: len(ours(r)))
    )
    assert rejected[0]["reasons"][0]["field"] == "$"
    assert rejected[0]["source"] == "webform"  # known by its API key
