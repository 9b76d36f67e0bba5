"""Topics a deployment creates: the clock topic is bounded by time."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from schemas.config import LeadpoolConfig
from services.common.settings import ServiceSettings
from services.common.topics import ensure_topics
from tests.infra import create_topics, unique_name, wait_until

pytestmark = pytest.mark.kafka

DAY_MS = str(24 * 3_600_000)
TWO_DAYS_MS = str(48 * 3_600_000)
CONFIG = LeadpoolConfig.model_validate(
    {"version": "test-1", "topics": {"clock_retention_hours": 48}}
)


@pytest.fixture
async def admin(kafka_bootstrap: str) -> AsyncIterator[AIOKafkaAdminClient]:
    client = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await client.start()
    yield client
    await client.close()


def settings(kafka_bootstrap: str) -> ServiceSettings:
    return ServiceSettings(
        KAFKA_BOOTSTRAP_SERVERS=kafka_bootstrap, namespace=f"{unique_name('top')}."
    )


async def topic_configs(admin: AIOKafkaAdminClient, topic: str) -> dict[str, str]:
    resource = ConfigResource(ConfigResourceType.TOPIC, topic)
    (response,) = await admin.describe_configs([resource])
    ((error_code, _, _, _, entries),) = response.resources
    return {entry[0]: entry[1] for entry in entries} if error_code == 0 else {}


async def configs_become(
    admin: AIOKafkaAdminClient, topic: str, wanted: dict[str, str]
) -> None:
    """Wait for `wanted` among the topic's settings: a broker describes a new
    topic, or a changed one, a moment after it answered the change."""
    found: dict[str, str] = {}

    async def applied() -> bool:
        found.update(await topic_configs(admin, topic))
        return all(found.get(name) == value for name, value in wanted.items())

    await wait_until(applied, message=lambda: f"{topic}: {wanted} not in {found}")


async def test_the_clock_topic_is_created_with_a_time_retention(
    kafka_bootstrap: str, admin: AIOKafkaAdminClient
) -> None:
    deployment = settings(kafka_bootstrap)
    await ensure_topics(deployment, CONFIG)

    # Segments roll daily, or only the default week-old ones would expire.
    await configs_become(
        admin,
        deployment.topic("leadpool.clock"),
        {"cleanup.policy": "delete", "retention.ms": TWO_DAYS_MS, "segment.ms": DAY_MS},
    )


async def test_a_clock_topic_made_without_a_retention_gets_one(
    kafka_bootstrap: str, admin: AIOKafkaAdminClient
) -> None:
    deployment = settings(kafka_bootstrap)
    clock = deployment.topic("leadpool.clock")
    await create_topics(kafka_bootstrap, [clock], partitions=1)
    await configs_become(admin, clock, {"segment.ms": str(7 * 24 * 3_600_000)})

    await ensure_topics(deployment, CONFIG)

    await configs_become(
        admin, clock, {"retention.ms": TWO_DAYS_MS, "segment.ms": DAY_MS}
    )
