"""`leadpool demo feed`: a small, realistic intake feed for a local run."""

import asyncio
import json
import random
from datetime import UTC, datetime
from typing import Any

import click
from aiokafka import AIOKafkaProducer

from schemas.config import load_config
from services.common.settings import ServiceSettings

_SOURCES = ["demo_request", "webinar", "content_download", "event", "outbound"]
_COUNTRIES = ["US", "Canada", "Germany", "United Kingdom", "FR", "Japan", "MX"]
_PRODUCTS = ["Enterprise Platform", "Small Business", "Add-on"]
_STATUSES = ["MQL", "MQL", "lead", "SQL"]


def demo_lead(rng: random.Random, index: int) -> dict[str, Any]:
    company = rng.choice(["Acme", "Globex", "Initech", "Umbrella", "Hooli"])
    return {
        "source": rng.choice(_SOURCES),
        "external_id": f"demo-{index}",
        "email": f"lead{index}@{company.lower()}.example",
        "first_name": rng.choice(["Ann", "Raj", "Mei", "Omar", "Lena"]),
        "last_name": rng.choice(["Lee", "Patel", "Chen", "Haddad", "Novak"]),
        "company": company,
        "country": rng.choice(_COUNTRIES),
        "employees": rng.choice([12, 80, 250, 900, 4000]),
        "score": rng.randint(5, 99),
        "status": rng.choice(_STATUSES),
        "product_interest": rng.choice(_PRODUCTS),
        "created_at": datetime.now(UTC).isoformat(),
    }


@click.group()
def demo() -> None:
    """Demo helpers for a local pipeline."""


@demo.command()
@click.option("--count", default=60, show_default=True, help="Leads to send.")
@click.option("--rate", default=20.0, show_default=True, help="Leads a second.")
@click.option("--seed", default=7, show_default=True, help="Random seed.")
def feed(count: int, rate: float, seed: int) -> None:
    """Send COUNT demo leads to the intake topic, with a few bad ones."""
    settings = ServiceSettings()
    topic = settings.topic(load_config(settings.config_path).topics.intake)
    sent = asyncio.run(_feed(settings, topic, count, rate, random.Random(seed)))
    click.echo(f"sent {sent} messages to {topic}")


async def _feed(
    settings: ServiceSettings, topic: str, count: int, rate: float, rng: random.Random
) -> int:
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        acks="all",
        enable_idempotence=True,
    )
    await producer.start()
    try:
        for index in range(count):
            await producer.send_and_wait(
                topic, json.dumps(demo_lead(rng, index)).encode()
            )
            await asyncio.sleep(1 / rate)
        # Two that must be rejected, so the demo shows leads.rejected too.
        await producer.send_and_wait(topic, b"{not json")
        await producer.send_and_wait(topic, json.dumps({"source": "web"}).encode())
    finally:
        await producer.stop()
    return count + 2
