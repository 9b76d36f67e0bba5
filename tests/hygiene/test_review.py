"""The review queue over hygiene's HTTP API and the CLI, on a real worker."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from click.testing import CliRunner

from schemas.commands import Action, HygieneCommand
from schemas.events import Removal
from services.cli.main import cli
from tests.hygiene.events import START, stocked, to_review
from tests.hygiene.kafka_io import TOKENS, commands_until, hygiene_config, produce
from tests.infra import unique_name, wait_until
from tests.workers import Deployment, Worker

pytestmark = [pytest.mark.kafka]


@pytest.fixture(scope="module")
def deployment(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    config_path = hygiene_config(tmp_path_factory.mktemp("hygiene") / "leadpool.yaml")
    deployment = Deployment(unique_name("hyr"), kafka_bootstrap, redis_url, config_path)
    try:
        deployment.start("hygiene")
        yield deployment
    finally:
        deployment.stop()


@pytest.fixture
def worker(deployment: Deployment) -> Worker:
    return deployment.workers[0]


def as_user(worker: Worker, user: str) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {TOKENS[user]}"}
    return httpx.AsyncClient(base_url=worker.url, headers=headers, timeout=5)


async def in_review(worker: Worker, lead_id: str) -> None:
    events = worker.env["LEADPOOL_NAMESPACE"] + "leads.events"
    bootstrap = worker.env["KAFKA_BOOTSTRAP_SERVERS"]
    removed = to_review(lead_id, START + timedelta(days=8))
    await produce(bootstrap, events, stocked(lead_id, START), removed)
    async with as_user(worker, "olga") as ops:

        async def listed() -> bool:
            queue = (await ops.get("/review")).json()
            return lead_id in [lead["lead_id"] for lead in queue["leads"]]

        await wait_until(listed, message=f"{lead_id} never reached the queue")


async def test_the_api_refuses_requests_without_a_known_token(worker: Worker) -> None:
    async with httpx.AsyncClient(base_url=worker.url) as anonymous:
        answer = await anonymous.get("/review")
        assert answer.status_code == 401
        bad = await anonymous.get("/review", headers={"Authorization": "Bearer x"})
        assert bad.json()["detail"] == "the token is not known"


async def test_ops_archive_a_lead_in_review_and_it_leaves_the_queue(
    worker: Worker,
) -> None:
    await in_review(worker, "q1")
    async with as_user(worker, "olga") as ops:
        answer = await ops.post("/review/q1", json={"decision": "archive"})
        assert answer.status_code == 202
        assert answer.json()["destination"] == Removal.ARCHIVE
        queue = (await ops.get("/review")).json()
    assert "q1" not in [lead["lead_id"] for lead in queue["leads"]]


async def test_a_rep_may_not_decide_and_is_told_which_permission(
    worker: Worker,
) -> None:
    await in_review(worker, "q2")
    async with as_user(worker, "alice") as rep:
        answer = await rep.post("/review/q2", json={"decision": "nurture"})
    assert (answer.status_code, answer.json()["permission"]) == (403, "manage")


async def test_a_bad_decision_names_the_field(worker: Worker) -> None:
    async with as_user(worker, "olga") as ops:
        answer = await ops.post("/review/q2", json={"decision": "burn"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "decision"


async def test_the_cli_lists_and_fixes_and_returns_a_lead(
    deployment: Deployment, worker: Worker
) -> None:
    await in_review(worker, "q3")
    base = ["review", "--hygiene", worker.url, "--token", TOKENS["olga"]]
    listing = CliRunner().invoke(cli, [*base, "list", "--pool", "warm"])
    assert "q3  pool warm" in listing.output
    decide = [
        *base,
        "decide",
        "q3",
        "--decision",
        "fix_and_return",
        "--fix",
        "phone=+1",
    ]
    assert CliRunner().invoke(cli, decide).exit_code == 0

    def reinstated(commands: list[HygieneCommand]) -> bool:
        return any(c.action is Action.REINSTATE for c in commands)

    commands = await commands_until(deployment, reinstated)
    (command,) = [c for c in commands if c.action is Action.REINSTATE]
    assert (command.lead_id, command.figures["fix.phone"]) == ("q3", "+1")
