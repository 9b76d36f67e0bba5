"""Two hygiene workers: only the leader runs pool-level jobs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from schemas.commands import Action, HygieneCommand
from tests.hygiene.events import START, stocked
from tests.hygiene.kafka_io import commands_until, hygiene_config, produce
from tests.infra import unique_name, wait_until_sync
from tests.workers import Deployment

pytestmark = [pytest.mark.kafka]

LEADER_RUN = "leader job ran"


@pytest.fixture(scope="module")
def pair(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    config_path = hygiene_config(
        tmp_path_factory.mktemp("hygiene") / "leadpool.yaml",
        overflow={"high_water": 3, "low_water": 1},
    )
    deployment = Deployment(unique_name("hyl"), kafka_bootstrap, redis_url, config_path)
    try:
        deployment.start_all("hygiene", "hygiene")
        yield deployment
    finally:
        deployment.stop()


def leader_runs(deployment: Deployment, since: list[int]) -> list[int]:
    """Leader-job runs per worker logged after the `since` log offsets."""
    return [
        w.log_path.read_text()[start:].count(LEADER_RUN)
        for w, start in zip(deployment.workers, since, strict=True)
    ]


def overflow_switches(commands: list[HygieneCommand]) -> list[HygieneCommand]:
    return [c for c in commands if c.action is Action.SET_POOL_MODE]


async def test_two_workers_never_both_run_a_leader_only_job(pair: Deployment) -> None:
    leads = [stocked(f"o{n}", START, pool="warm") for n in range(3)]
    await produce(pair.kafka_bootstrap, pair.topic("leads.events"), *leads)
    commands = await commands_until(pair, lambda seen: bool(overflow_switches(seen)))
    # A handover while the group formed is fine; two leaders at once is not.
    since = [len(w.log_path.read_text()) for w in pair.workers]
    wait_until_sync(lambda: max(leader_runs(pair, since)) >= 10, message="idle")
    runs = leader_runs(pair, since)
    assert sorted(runs)[0] == 0, f"both workers ran leader jobs: {runs}"
    commands = await commands_until(pair, lambda seen: bool(overflow_switches(seen)))
    switch = overflow_switches(commands)[0]
    assert (switch.pool, switch.mode, switch.figures["depth"]) == (
        "warm",
        "auto_assign",
        3,
    )
