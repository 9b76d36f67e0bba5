"""The configuration a worker runs on, replaced live from the config topic.

Every worker of every service must see every version, so this reads the
compacted config topic with a plain consumer outside any consumer group
(a group would hand the single partition to one worker only).
"""

import asyncio
import logging
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from pydantic import ValidationError

from schemas.config import LeadpoolConfig
from services.common.settings import ServiceSettings
from services.common.topics import ensure_topics

log = logging.getLogger(__name__)

CONFIG_KEY = b"leadpool"  # one key: compaction keeps only the newest version

Listener = Callable[[LeadpoolConfig, LeadpoolConfig], None]


class LiveConfig:
    """Holds the current document and tells listeners when it changes."""

    def __init__(self, initial: LeadpoolConfig) -> None:
        self.current = initial
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def apply(self, new: LeadpoolConfig) -> bool:
        if new.version == self.current.version:
            return False
        old, self.current = self.current, new
        log.info(
            "configuration applied",
            extra={"old_version": old.version, "new_version": new.version},
        )
        for listener in self._listeners:
            listener(old, new)
        return True


async def publish_config(settings: ServiceSettings, config: LeadpoolConfig) -> None:
    # The config topic must exist compacted before the first document lands.
    await ensure_topics(settings, config)
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        acks="all",
        enable_idempotence=True,
    )
    await producer.start()
    try:
        await producer.send_and_wait(
            settings.topic(config.topics.config),
            config.model_dump_json().encode(),
            key=CONFIG_KEY,
        )
    finally:
        await producer.stop()


async def follow_config(settings: ServiceSettings, live: LiveConfig) -> None:
    """Apply every valid version published, until cancelled."""
    topic = settings.topic(live.current.topics.config)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        fetch_max_wait_ms=200,
    )
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, 0)])
        await consumer.seek_to_beginning()
        while True:
            batches = await consumer.getmany(timeout_ms=1000)
            for records in batches.values():
                for record in records:
                    _apply_record(live, record.value, record.offset)
    except asyncio.CancelledError:
        raise
    finally:
        await consumer.stop()


def _apply_record(live: LiveConfig, value: bytes | None, offset: int) -> None:
    if value is None:
        return
    try:
        new = LeadpoolConfig.model_validate_json(value)
    except ValidationError as err:
        # The publisher validates first, so this is a foreign or old writer.
        log.error(
            "configuration refused, keeping the current version",
            extra={"offset": offset, "errors": err.errors(include_input=False)},
        )
        return
    live.apply(new)
