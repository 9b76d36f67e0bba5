"""Every segmentation strategy routing on a real worker and broker.

The same rules are tested as pure decisions in test_rules.py; here each
lead must come out of the worker on its pool's topic, carrying the rule.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from tests.router.deployments import one_router
from tests.router.kafka_io import read_all, values
from tests.router.support import config_document, intake
from tests.workers import Deployment

pytestmark = [pytest.mark.kafka, pytest.mark.redis]

# (lead fields, pool, rule): one row per strategy, then a combination.
PLACEMENTS: list[tuple[dict[str, Any], str, str | None]] = [
    ({"source": "demo_request", "score": 85}, "hot", "hot-demo-request"),
    ({"score": 55, "status": "MQL"}, "warm", "warm-mql"),
    ({"product_interest": "Small Business", "score": 40}, "smb", "product-smb"),
    ({"source": "conference", "score": 45}, "events", "channel-events"),
    ({"country": "Germany", "score": 60}, "emea", "geo-emea"),
    ({"employees": "250", "score": 60}, "mid-market", "tier-mid-market"),
    (
        {"source": "demo_request", "score": 90, "employees": 5000, "country": "CA"},
        "enterprise",
        "enterprise-demo-na",
    ),
    ({"score": 30}, "cold", "no-score-band"),
    ({"score": 60}, "na", None),
]


@pytest.fixture(scope="module")
def deployment(
    kafka_bootstrap: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    with one_router(
        "segment", config_document(), kafka_bootstrap, redis_url, tmp_path_factory
    ) as deployment:
        yield deployment


async def test_each_strategy_and_a_combination_place_leads_on_kafka(
    deployment: Deployment, producer: AIOKafkaProducer, kafka_bootstrap: str
) -> None:
    leads = [
        intake(external_id=f"seg-{index}", email=f"p{index}@initech.example", **fields)
        for index, (fields, _, _) in enumerate(PLACEMENTS)
    ]
    for lead in leads:
        await producer.send_and_wait(
            deployment.topic("leads.intake"), json.dumps(lead).encode()
        )

    for lead, (_, pool, rule) in zip(leads, PLACEMENTS, strict=True):
        topic = deployment.topic(f"pool.{pool}")
        placed = values(await read_all(kafka_bootstrap, topic, 1))
        ours = [p for p in placed if p["lead"]["external_id"] == lead["external_id"]]
        assert len(ours) == 1, f"{lead} not once on {pool}: {placed}"
        assert ours[0]["rule"] == rule
        assert ours[0]["config_version"] == "test.1"
