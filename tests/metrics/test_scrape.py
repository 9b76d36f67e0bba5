"""End to end: known lead events through real Kafka into two metrics
workers (one joins after the first folded everything, so partitions move),
scraped by a real Prometheus.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families

from services.cli.main import cli
from tests.infra import unique_name, wait_until, wait_until_sync
from tests.metrics.dashboards import panel_queries
from tests.metrics.known_events import (
    EXPECTED,
    NOT_AN_EVENT,
    Labels,
    entry_sums,
    known_events,
)
from tests.metrics.prometheus import Prometheus
from tests.workers import Deployment, Worker, example_config, free_port, write_config

pytestmark = [pytest.mark.kafka]

IGNORED_LABELS = {"partition", "instance", "job"}


@dataclass
class Monitoring:
    workers: list[Worker]
    prometheus: Prometheus
    now: datetime


def summed(texts: list[str]) -> dict[str, dict[Labels, float]]:
    """Every sample of the scrapes, summed over partitions and workers."""
    sums: dict[str, dict[Labels, float]] = defaultdict(lambda: defaultdict(float))
    for text in texts:
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                labels = {k: v for k, v in sample.labels.items() if k != "partition"}
                sums[sample.name][tuple(sorted(labels.items()))] += sample.value
    return sums


def scrape(workers: list[Worker]) -> dict[str, dict[Labels, float]]:
    return summed([httpx.get(f"{w.url}/metrics").text for w in workers])


def nonzero(series: dict[Labels, float]) -> dict[Labels, float]:
    return {labels: round(v, 3) for labels, v in series.items() if v}


async def publish(bootstrap: str, topic: str, now: datetime) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True
    )
    await producer.start()
    try:
        for event in known_events(now):
            await producer.send_and_wait(
                topic, event.model_dump_json().encode(), key=event.lead_id.encode()
            )
        await producer.send_and_wait(topic, NOT_AN_EVENT, key=b"h1")
    finally:
        await producer.stop()


@pytest.fixture(scope="module")
async def monitoring(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Monitoring]:
    run_dir: Path = tmp_path_factory.mktemp("monitoring")
    config_path = write_config(run_dir / "leadpool.yaml", example_config())
    deployment = Deployment(unique_name("mon"), kafka_bootstrap, redis_url, config_path)
    now = datetime.now(UTC)
    prometheus: Prometheus | None = None
    try:
        first = deployment.start("metrics")
        await publish(kafka_bootstrap, deployment.topic("leads.events"), now)
        added = "leadpool_leads_added_total"
        await wait_until(lambda: sum(scrape([first])[added].values()) == 8)
        second = deployment.start("metrics")
        targets = [f"127.0.0.1:{w.port}" for w in deployment.workers]
        prometheus = Prometheus(run_dir / "run", free_port(), targets).start()
        yield Monitoring([first, second], prometheus, now)
    finally:
        if prometheus is not None:
            prometheus.stop()
        deployment.stop()


def both_own_partitions(workers: list[Worker]) -> bool:
    owned = [httpx.get(f"{w.url}/health").json()["partitions"] for w in workers]
    return all(owned) and sum(owned) == 4


def test_two_workers_scrapes_sum_to_the_known_figures(monitoring: Monitoring) -> None:
    workers = monitoring.workers
    wait_until_sync(lambda: both_own_partitions(workers), message="rebalance")

    def matches() -> bool:
        sums = scrape(workers)
        return all(nonzero(sums[n]) == nonzero(v) for n, v in EXPECTED.items())

    wait_until_sync(matches, message=lambda: json.dumps(scrape(workers), default=str))
    entries = scrape(workers)["leadpool_pool_entry_timestamp_sum_seconds"]
    assert nonzero(entries) == nonzero(entry_sums(monitoring.now))


def prometheus_sums(prometheus: Prometheus, name: str) -> dict[Labels, float]:
    result = prometheus.query(f"sum without (partition, instance, job) ({name})")
    return {
        tuple(sorted(sample["metric"].items())): float(sample["value"][1])
        for sample in result
    }


def test_prometheus_scrapes_the_exact_figures(monitoring: Monitoring) -> None:
    prometheus = monitoring.prometheus

    def exact() -> list[str]:
        return [
            name
            for name, want in EXPECTED.items()
            if nonzero(prometheus_sums(prometheus, name)) != nonzero(want)
        ]

    wait_until_sync(lambda: not exact(), message=lambda: f"differ: {exact()}")
    depletion = prometheus.query(
        "sum(leadpool_leads_claimed_total) / sum(leadpool_leads_added_total)"
    )
    assert float(depletion[0]["value"][1]) == 5 / 8


def test_every_dashboard_panel_query_returns_data(monitoring: Monitoring) -> None:
    prometheus = monitoring.prometheus
    queries = panel_queries()
    assert len(queries) >= 20

    def empty() -> list[str]:
        return [where for where, expr in queries if not prometheus.query(expr)]

    wait_until_sync(lambda: not empty(), timeout_s=60, message=lambda: str(empty()))


def report_figure(url: str, section: str, group: str, name: str) -> str:
    args = ["report", "--period", "week", "--csv", "--prometheus-url", url]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    for row in csv.DictReader(io.StringIO(result.output)):
        if (row["section"], row["group"], row["figure"]) == (section, group, name):
            return row["value"]
    return ""


def test_the_weekly_report_shows_the_known_figures_as_csv(
    monitoring: Monitoring,
) -> None:
    url = monitoring.prometheus.url
    wait_until_sync(lambda: report_figure(url, "pool", "hot", "added") == "3")

    def figure(section: str, group: str, name: str) -> str:
        return report_figure(url, section, group, name)

    assert figure("pool", "hot", "added") == "3"
    assert figure("pool", "hot", "depletion") == "0.666667"
    assert figure("pool", "hot", "time to claim h") == "0.75"
    assert figure("pool", "hot", "average deal") == "25000"
    assert figure("pool", "cold", "contact violations") == "2"
    assert figure("pool", "warm", "transfer rate") == "0.5"
    assert figure("score band", "hot", "to closed-won") == "0.333333"
    assert figure("score band", "cold", "to opportunity") == "0"


def test_the_monthly_report_prints_both_tables(monitoring: Monitoring) -> None:
    args = [
        "report",
        "--period",
        "month",
        "--prometheus-url",
        monitoring.prometheus.url,
    ]
    result = CliRunner().invoke(cli, args, terminal_width=200)

    assert result.exit_code == 0, result.output
    assert "Leadpool by pool, last month (30d)" in result.output
    assert "Leadpool by score band, last month (30d)" in result.output


def test_the_report_names_an_unreachable_prometheus() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(cli, ["report", "--prometheus-url", url])

    assert result.exit_code == 1
    assert f"--prometheus-url {url}: no answer from Prometheus" in result.output
