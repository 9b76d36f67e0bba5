"""Reading hygiene's own topics back on every worker: commands, run records."""

import logging
from collections.abc import Callable
from typing import TypeVar

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import BaseModel, ValidationError

from schemas.commands import HygieneCommand
from services.hygiene.ops_log import OpsLog

log = logging.getLogger(__name__)

C = TypeVar("C", bound=BaseModel)
Fold = Callable[[bytes | None, int, int], None]  # value, partition, offset


async def follow_actions(
    bootstrap_servers: str, topic: str, partitions: int, ops: OpsLog
) -> None:
    """Fold every command on `topic` from the start, until cancelled."""

    def fold(raw: bytes | None, partition: int, offset: int) -> None:
        _fold(ops, raw, partition, offset)

    await follow_from_start(bootstrap_servers, topic, partitions, fold)


async def follow_from_start(
    bootstrap_servers: str, topic: str, partitions: int, fold: Fold
) -> None:
    """Hand every record of `topic` to `fold`, from the start, until cancelled.

    Outside any consumer group: every worker needs every partition.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        fetch_max_wait_ms=50,
    )
    await consumer.start()
    try:
        assigned = [TopicPartition(topic, p) for p in range(partitions)]
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        while True:
            batches = await consumer.getmany(timeout_ms=500)
            for tp, records in batches.items():
                for record in records:
                    fold(record.value, tp.partition, record.offset)
    finally:
        await consumer.stop()


def _fold(ops: OpsLog, raw: bytes | None, partition: int, offset: int) -> None:
    command = parse_or_log(HygieneCommand, raw, partition, offset)
    if command is not None:
        ops.fold(command)


def parse_or_log(
    contract: type[C], raw: bytes | None, partition: int, offset: int
) -> C | None:
    """The record as `contract`, or None with the reasons logged: a bad record
    is skipped so that the ones after it are still read."""
    try:
        return contract.model_validate_json(raw or b"")
    except ValidationError as err:
        log.error(
            "record not read back: not a valid %s",
            contract.__name__,
            extra={
                "partition": partition,
                "offset": offset,
                "errors": err.errors(include_input=False, include_url=False),
            },
        )
        return None
