"""Relaying the Redis outbox to `leads.events`, without loss or duplicates.

The claim step appends each change to a Redis stream in the same atomic
call that makes it. This relay publishes the stream in order, keyed by
lead id, and moves its cursor only after Kafka has acknowledged; the
stream entry id becomes the event id, so a copy re-sent after a crash is
recognisably the same event and consumers drop it.
"""

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import redis.asyncio as aioredis

from schemas.events import lead_event_adapter
from services.claims.keys import Keys
from services.common.clock import from_ms

log = logging.getLogger(__name__)

Publish = Callable[[list[tuple[str, bytes]]], Awaitable[None]]

LOCK_TTL_MS = 10_000  # a dead relay's lock frees within this
BATCH = 500  # entries per round trip; bounds memory and latency

_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0
"""


def to_event(stream_id: str, fields: dict[str, str]) -> bytes:
    body: dict[str, Any] = json.loads(fields.get("body") or "{}")
    for key in ("routed_ms",):
        if key in body:
            body[key.removesuffix("_ms") + "_at"] = from_ms(int(body.pop(key)))
    event = lead_event_adapter.validate_python(
        {
            **body,
            "type": fields["type"],
            "event_id": stream_id,
            "lead_id": fields["lead_id"],
            "pool": fields["pool"],
            "occurred_at": from_ms(int(fields["at_ms"])),
            "config_version": fields["config_version"],
        }
    )
    return lead_event_adapter.dump_json(event)


async def record_history(
    redis: "aioredis.Redis", keys: Keys, events: list[tuple[str, bytes]]
) -> None:
    """Keep each published event in its lead's history, by event id (so a
    relay that sends again, or a rebuild, writes each event once)."""
    async with redis.pipeline(transaction=False) as pipe:
        for lead_id, event in events:
            event_id = json.loads(event)["event_id"]
            pipe.hset(keys.lead_history(lead_id), event_id, event)
        await pipe.execute()


class OutboxRelay:
    def __init__(self, redis: "aioredis.Redis", keys: Keys, publish: Publish) -> None:
        self.redis = redis
        self.keys = keys
        self.publish = publish
        self.owner = uuid.uuid4().hex
        self._renew = redis.register_script(_RENEW)

    async def run(self) -> None:
        """Relay while holding the lock; wait for it while another relay does."""
        while True:
            if await self._hold_lock():
                relayed = await self.relay_once(block_ms=1000)
                if relayed:
                    log.debug("outbox relayed", extra={"events": relayed})
            else:
                await asyncio.sleep(LOCK_TTL_MS / 4000)

    async def relay_once(self, block_ms: int | None = None) -> int:
        cursor = await self.redis.get(self.keys.outbox_cursor) or "0-0"
        reply = await self.redis.xread(
            {self.keys.outbox: cursor}, count=BATCH, block=block_ms
        )
        entries = _entries(reply)
        if not entries:
            return 0
        messages = [
            (fields["lead_id"], to_event(stream_id, fields))
            for stream_id, fields in entries
        ]

        await self.publish(messages)
        await record_history(self.redis, self.keys, messages)

        last_id = entries[-1][0]
        await self.redis.set(self.keys.outbox_cursor, last_id)
        # Entries Kafka holds are no longer needed in Redis.
        await self.redis.xtrim(self.keys.outbox, minid=last_id, approximate=True)
        return len(entries)

    async def _hold_lock(self) -> bool:
        held = await self._renew(
            keys=[self.keys.relay_lock], args=[self.owner, LOCK_TTL_MS]
        )
        return bool(held)


def _entries(reply: Any) -> list[tuple[str, dict[str, str]]]:
    """Entries of the one stream read, from a RESP2 XREAD reply."""
    if not reply:
        return []
    return [(str(entry_id), dict(fields)) for entry_id, fields in reply[0][1]]
