"""Event time: the clock hygiene decides on, driven by what it reads.

Now is the newest moment seen in a lead event or in a tick on the clock
topic. A simulator or a test moves time for every worker at once by
producing a tick; in production the hygiene leader ticks the wall time,
so time moves on while no lead event arrives. `LEADPOOL_CLOCK=wall`
reads the host's clock instead.
"""

import asyncio
import json
import logging
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, TopicPartition

from services.common.clock import Clock, WallClock

log = logging.getLogger(__name__)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Read on start: more than the latest, in case it is malformed or two leaders
# ticked out of order during a handover; an hour of the leader's heartbeats.
TAIL_TICKS = 60


class EventClock:
    def __init__(self) -> None:
        self._now = EPOCH

    def now(self) -> datetime:
        return self._now

    def started(self) -> bool:
        """Whether any event or tick told the time yet."""
        return self._now > EPOCH

    def observe(self, moment: datetime) -> None:
        # Time never runs backwards: a late event does not rewind the clock.
        if moment > self._now:
            self._now = moment


def observer(clock: Clock) -> EventClock | None:
    return clock if isinstance(clock, EventClock) else None


def build_clock(kind: str) -> Clock:
    return EventClock() if kind == "event" else WallClock()


def tick(moment: datetime) -> bytes:
    """A clock-topic record moving every worker's event time to `moment`."""
    return json.dumps({"now": moment.astimezone(UTC).isoformat()}).encode()


async def follow_ticks(bootstrap_servers: str, topic: str, clock: EventClock) -> None:
    """Apply each tick `{"now": "<ISO time>"}` on the clock topic from its
    last `TAIL_TICKS`, until cancelled."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        fetch_max_wait_ms=50,
    )
    await consumer.start()
    try:
        partition = TopicPartition(topic, 0)
        consumer.assign([partition])
        await _seek_to_tail(consumer, partition)
        while True:
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                for record in records:
                    _apply_tick(clock, record.value, record.offset)
    except asyncio.CancelledError:
        raise
    finally:
        await consumer.stop()


async def _seek_to_tail(consumer: AIOKafkaConsumer, partition: TopicPartition) -> None:
    # Time never runs backwards, so the newest ticks tell it: older ones are
    # not read again on a restart.
    first = (await consumer.beginning_offsets([partition]))[partition]
    end = (await consumer.end_offsets([partition]))[partition]
    start = max(first, end - TAIL_TICKS)
    consumer.seek(partition, start)
    log.info(
        "following clock ticks",
        extra={"topic": partition.topic, "offset": start, "end_offset": end},
    )


def _apply_tick(clock: EventClock, value: bytes | None, offset: int) -> None:
    try:
        moment = datetime.fromisoformat(json.loads(value or b"{}")["now"])
    except (ValueError, KeyError, TypeError) as err:
        log.error("clock tick ignored: %s", err, extra={"offset": offset})
        return
    if moment.tzinfo is None:
        log.error("clock tick ignored: now needs a timezone", extra={"offset": offset})
        return
    clock.observe(moment.astimezone(UTC))
