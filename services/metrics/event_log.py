"""Reading the lead event log into per-partition figures, rebalance-safe.

The metrics workers share one consumer group and never commit offsets: a
worker that is handed a partition replays it from the start and so holds
the partition's complete figures, and one that loses a partition forgets
it. Faust's per-event path is several times slower than a plain batched
consumer here (see bench/bench_metrics.py), so the fold reads batches with
aiokafka directly inside the Faust worker.
"""

import logging
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from pydantic import ValidationError

from schemas.events import lead_event_adapter
from services.metrics.partition import PartitionFigures
from services.metrics.policy import FoldPolicy

log = logging.getLogger(__name__)

BATCH_RECORDS = 5000  # a scrape waits for at most one batch to fold


class FigureBook:
    """The figures of every partition this worker owns.

    A partition being replayed is folded aside and published only once it
    reached the log's end as of its assignment. A scrape during the replay
    would otherwise see a counter restart low and climb, which Prometheus
    counts as growth; this way the new worker's series starts at the total.
    """

    def __init__(self, policy: Callable[[], FoldPolicy]) -> None:
        self._policy = policy
        self.partitions: dict[int, PartitionFigures] = {}
        self._replaying: dict[int, tuple[PartitionFigures, int]] = {}
        self.read = 0
        self.refused = 0

    def restart(self, partition: int, end_offset: int = 0) -> None:
        """Replay `partition` from the start; publish it at `end_offset`."""
        self.partitions.pop(partition, None)
        figures = PartitionFigures(self._policy())
        if end_offset <= 0:
            self.partitions[partition] = figures
        else:
            self._replaying[partition] = (figures, end_offset)

    def forget(self, partition: int) -> None:
        self.partitions.pop(partition, None)
        self._replaying.pop(partition, None)

    def fold_raw(self, partition: int, offset: int, raw: bytes | None) -> None:
        self.read += 1
        figures = self._figures(partition, offset)
        try:
            event = lead_event_adapter.validate_json(raw or b"")
        except ValidationError as err:
            # Counted (leadpool_events_refused_total) and logged with where it
            # lies, so it can be read back from the log; never dropped unseen.
            self.refused += 1
            figures.counters["refused"][()] += 1
            log.error(
                "lead event not counted: not a known event",
                extra={
                    "partition": partition,
                    "offset": offset,
                    "errors": err.errors(include_input=False, include_url=False),
                },
            )
            return
        figures.fold(event)

    def _figures(self, partition: int, offset: int) -> PartitionFigures:
        replay = self._replaying.get(partition)
        if replay is not None:
            figures, end_offset = replay
            if offset + 1 >= end_offset:
                # This record is the last of the replay: publish with it.
                del self._replaying[partition]
                self.partitions[partition] = figures
            return figures
        figures_now = self.partitions.get(partition)
        if figures_now is None:
            figures_now = self.partitions[partition] = PartitionFigures(self._policy())
        return figures_now


class _Replay(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, consumer: AIOKafkaConsumer, book: FigureBook) -> None:
        self.consumer = consumer
        self.book = book

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        for tp in revoked:
            self.book.forget(tp.partition)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        # TODO: replay grows with the log's retention; snapshot each
        # partition's figures with their offset to a compacted topic once
        # replays take longer than a rebalance should.
        ends = await self.consumer.end_offsets(list(assigned)) if assigned else {}
        for tp in assigned:
            self.book.restart(tp.partition, ends.get(tp, 0))
        if assigned:
            await self.consumer.seek_to_beginning(*assigned)
        log.info(
            "replaying lead events",
            extra={"partitions": sorted(tp.partition for tp in assigned)},
        )


class EventLog:
    def __init__(
        self,
        bootstrap_servers: str,
        topic: str,
        group_id: str,
        book: FigureBook,
        fetch_wait_ms: int = 10,
        session_timeout_s: float = 10.0,
    ) -> None:
        self.topic = topic
        self.book = book
        self._options: dict[str, Any] = {
            "bootstrap_servers": bootstrap_servers,
            "group_id": group_id,
            "enable_auto_commit": False,
            "auto_offset_reset": "earliest",
            "fetch_max_wait_ms": fetch_wait_ms,
            "session_timeout_ms": int(session_timeout_s * 1000),
            "heartbeat_interval_ms": int(session_timeout_s * 1000 / 5),
        }
        self.consumer: AIOKafkaConsumer | None = None

    def assigned(self) -> int:
        return 0 if self.consumer is None else len(self.consumer.assignment())

    async def run(self) -> None:
        """Fold events until cancelled."""
        # aiokafka binds to the running loop, so it is built here, not in init.
        consumer = self.consumer = AIOKafkaConsumer(**self._options)
        await consumer.start()
        try:
            consumer.subscribe([self.topic], listener=_Replay(consumer, self.book))
            while True:
                batches = await consumer.getmany(
                    timeout_ms=500, max_records=BATCH_RECORDS
                )
                for tp, records in batches.items():
                    for record in records:
                        self.book.fold_raw(tp.partition, record.offset, record.value)
        finally:
            await consumer.stop()
