"""Reading lead events and pooled leads into per-partition books.

Hygiene never commits offsets: a worker handed a partition replays it
from the start, so its books are rebuilt from Kafka after any restart or
rebalance, and it decides nothing until the replay has caught up (a half
rebuilt book would see claimed leads as still waiting). The pool topics
and `leads.merged` are keyed by lead id like `leads.events`, so partition
p of each holds the same leads and folds into the same book.
"""

import logging
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from pydantic import ValidationError

from schemas.config import LeadpoolConfig
from schemas.events import LeadMerged, PooledLead, lead_event_adapter
from services.hygiene.book import LeadBook
from services.hygiene.event_clock import EventClock

log = logging.getLogger(__name__)

BATCH_RECORDS = 5000


class Books:
    """The books of the partitions one reader holds, and how far it has read."""

    def __init__(
        self, config: Callable[[], LeadpoolConfig], clock: EventClock | None
    ) -> None:
        self._config = config
        self._clock = clock
        self.by_partition: dict[int, LeadBook] = {}
        self._ends: dict[TopicPartition, int] = {}
        self._read: dict[TopicPartition, int] = {}

    def restart(self, partition: int) -> None:
        self.by_partition[partition] = LeadBook(self._config)

    def forget(self, partition: int) -> None:
        self.by_partition.pop(partition, None)

    def expect(self, ends: dict[TopicPartition, int]) -> None:
        self._ends.update(ends)

    def caught_up(self) -> bool:
        return all(self._read.get(tp, 0) >= end for tp, end in self._ends.items())

    def book(self, partition: int) -> LeadBook:
        if partition not in self.by_partition:
            self.restart(partition)
        return self.by_partition[partition]

    def fold(
        self,
        tp: TopicPartition,
        offset: int,
        raw: bytes | None,
        events: str,
        merged: str | None = None,
    ) -> None:
        self._read[tp] = offset + 1
        book = self.book(tp.partition)
        try:
            if tp.topic == events:
                book.fold(lead_event_adapter.validate_json(raw or b""))
            elif tp.topic == merged:
                book.fold_merged(LeadMerged.model_validate_json(raw or b""))
            else:
                book.fold_pooled(PooledLead.model_validate_json(raw or b""))
        except ValidationError as err:
            log.error(
                "record not folded: not a known event",
                extra={
                    "topic": tp.topic,
                    "partition": tp.partition,
                    "offset": offset,
                    "errors": err.errors(include_input=False, include_url=False),
                },
            )
            return
        if self._clock is not None and book.newest is not None:
            self._clock.observe(book.newest)


class _Replay(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, consumer: AIOKafkaConsumer, books: Books) -> None:
        self.consumer = consumer
        self.books = books

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        for tp in revoked:
            self.books.forget(tp.partition)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        # TODO: replay grows with retention; snapshot books with their offsets
        # to a compacted topic once replays take longer than a rebalance.
        await _replay(self.consumer, self.books, assigned)


async def _replay(
    consumer: AIOKafkaConsumer, books: Books, assigned: set[TopicPartition]
) -> None:
    for partition in {tp.partition for tp in assigned}:
        books.restart(partition)
    if not assigned:
        return
    books.expect(await consumer.end_offsets(list(assigned)))
    await consumer.seek_to_beginning(*assigned)
    log.info(
        "replaying lead events",
        extra={"partitions": sorted({tp.partition for tp in assigned})},
    )


class EventLog:
    """One reader: in the group (its share of partitions) or of every partition."""

    def __init__(
        self,
        bootstrap_servers: str,
        topics: list[str],
        group_id: str | None,
        books: Books,
        partitions: int,
        merged: str | None = None,
    ) -> None:
        self.topics = topics
        self.merged = merged
        self.partitions = partitions
        self.books = books
        self.group_id = group_id
        self._options: dict[str, Any] = {
            "bootstrap_servers": bootstrap_servers,
            "group_id": group_id,
            "enable_auto_commit": False,
            "auto_offset_reset": "earliest",
            "fetch_max_wait_ms": 10,
            "session_timeout_ms": 10000,
            "heartbeat_interval_ms": 2000,
        }
        self.consumer: AIOKafkaConsumer | None = None

    def assigned(self) -> int:
        if self.consumer is None:
            return 0
        return len({tp.partition for tp in self.consumer.assignment()})

    async def run(self) -> None:
        consumer = self.consumer = AIOKafkaConsumer(**self._options)
        await consumer.start()
        try:
            if self.group_id is None:
                partitions = [
                    TopicPartition(topic, p)
                    for topic in self.topics
                    for p in range(self.partitions)
                ]
                consumer.assign(partitions)
                await _replay(consumer, self.books, set(partitions))
            else:
                consumer.subscribe(self.topics, listener=_Replay(consumer, self.books))
            await self._read(consumer)
        finally:
            await consumer.stop()

    async def _read(self, consumer: AIOKafkaConsumer) -> None:
        events = self.topics[0]
        while True:
            batches = await consumer.getmany(timeout_ms=200, max_records=BATCH_RECORDS)
            for tp, records in batches.items():
                for record in records:
                    self.books.fold(
                        tp, record.offset, record.value, events, self.merged
                    )
