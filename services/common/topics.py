"""Creating the topics a deployment needs before any worker subscribes.

Faust subscribes only to topics that exist when it starts, so every entry
point calls `ensure_topics` first.
"""

import asyncio
import logging
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import TopicAlreadyExistsError

from schemas.config import LeadpoolConfig
from services.common.settings import ServiceSettings

log = logging.getLogger(__name__)

TOPIC_READY_TIMEOUT_S = 30.0
TOPIC_READY_POLL_S = 0.1  # a broker spreads new metadata within milliseconds
CLOCK_SEGMENT_MS = 86_400_000  # a day of ticks is ~150 KB: few files, daily expiry

# The config and run-log topics keep only the newest record under each key.
_COMPACTED = {"cleanup.policy": "compact"}


def topic_names(settings: ServiceSettings, config: LeadpoolConfig) -> list[str]:
    topics = config.topics
    names = [
        topics.intake,
        topics.rejected,
        topics.events,
        topics.hygiene_actions,
        topics.offers,
        topics.held,
        topics.merged,
        *(topics.pool(name) for name in config.pool_names),
    ]
    return [settings.topic(name) for name in names]


async def ensure_topics(settings: ServiceSettings, config: LeadpoolConfig) -> None:
    wanted = [
        NewTopic(
            name,
            num_partitions=config.topics.partitions,
            replication_factor=config.topics.replication_factor,
        )
        for name in topic_names(settings, config)
    ]
    # One partition keeps virtual-time ticks in one order for every reader.
    clock = settings.topic(config.topics.clock)
    wanted.append(
        NewTopic(
            clock,
            num_partitions=1,
            replication_factor=config.topics.replication_factor,
            topic_configs=clock_topic_configs(config),
        )
    )
    # One partition each, compacted on the key (a run's id for the run log,
    # so that monthly runs outlive any time retention).
    wanted += [
        NewTopic(
            settings.topic(name),
            num_partitions=1,
            replication_factor=config.topics.replication_factor,
            topic_configs=_COMPACTED,
        )
        for name in (config.topics.config, config.topics.cleanup_runs)
    ]

    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [topic for topic in wanted if topic.name not in existing]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                log.info("topics created concurrently by another worker")
            log.info(
                "topics created", extra={"topics": [topic.name for topic in missing]}
            )
            await _wait_until_led(admin, [topic.name for topic in missing])
        if clock in existing:
            await _bound_clock_topic(admin, clock, clock_topic_configs(config))
    finally:
        await admin.close()


def clock_topic_configs(config: LeadpoolConfig) -> dict[str, str]:
    """Ticks expire after `clock_retention_hours`: a reader needs the latest.

    Not compacted: ticks carry no key, and outside producers (simulators,
    tests) send them too.
    """
    retention_ms = round(config.topics.clock_retention_hours * 3_600_000)
    return {
        "cleanup.policy": "delete",
        "retention.ms": str(retention_ms),
        # Only closed segments expire; the default week-long segment would
        # keep a week of ticks whatever the retention.
        "segment.ms": str(min(retention_ms, CLOCK_SEGMENT_MS)),
    }


async def _bound_clock_topic(
    admin: AIOKafkaAdminClient, name: str, configs: dict[str, str]
) -> None:
    """A clock topic made before it had a retention gets one (and follows a
    changed retention): these settings are the topic's whole configuration."""
    resource = ConfigResource(ConfigResourceType.TOPIC, name, configs)
    for response in await admin.alter_configs([resource]):
        for error_code, message, *_ in response.resources:
            if error_code:
                log.warning(
                    "clock topic keeps its retention: the broker refused a change",
                    extra={"topic": name, "error_code": error_code, "error": message},
                )


async def _wait_until_led(admin: AIOKafkaAdminClient, names: list[str]) -> None:
    """Wait until the broker's metadata lists every partition with a leader.

    A topic is created before its metadata has spread; a consumer group that
    joins in between is assigned nothing from it and may never ask again.
    """
    deadline = asyncio.get_running_loop().time() + TOPIC_READY_TIMEOUT_S
    while True:
        described = await admin.describe_topics(names)
        waiting = [t["topic"] for t in described if not _led(t)]
        if not waiting:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"topics without partition leaders: {waiting}")
        await asyncio.sleep(TOPIC_READY_POLL_S)


def _led(topic: dict[str, Any]) -> bool:
    partitions = topic.get("partitions") or []
    return (
        topic.get("error_code") == 0
        and bool(partitions)
        and all(p.get("leader", -1) >= 0 for p in partitions)
    )
