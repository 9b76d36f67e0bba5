"""Reading hygiene's own commands back into the ops log, on every worker."""

import logging

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import ValidationError

from schemas.commands import HygieneCommand
from services.hygiene.ops_log import OpsLog

log = logging.getLogger(__name__)


async def follow_actions(
    bootstrap_servers: str, topic: str, partitions: int, ops: OpsLog
) -> None:
    """Fold every command on `topic` from the start, until cancelled."""
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
                    _fold(ops, record.value, tp.partition, record.offset)
    finally:
        await consumer.stop()


def _fold(ops: OpsLog, raw: bytes | None, partition: int, offset: int) -> None:
    try:
        ops.fold(HygieneCommand.model_validate_json(raw or b""))
    except ValidationError as err:
        log.error(
            "hygiene command not read back: not a valid command",
            extra={
                "partition": partition,
                "offset": offset,
                "errors": err.errors(include_input=False, include_url=False),
            },
        )
