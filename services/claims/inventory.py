"""The pool inventory: routed leads in Redis, ordered by priority."""

import json
import logging
from typing import Any

import redis.asyncio as aioredis

from schemas.commands import HygieneCommand
from schemas.events import PooledLead
from services.claims.keys import Keys
from services.claims.scripts import Scripts
from services.common.clock import Clock, to_ms

log = logging.getLogger(__name__)


class Inventory:
    def __init__(
        self, redis: "aioredis.Redis", keys: Keys, scripts: Scripts, clock: Clock
    ) -> None:
        self.redis = redis
        self.keys = keys
        self.scripts = scripts
        self.clock = clock

    async def stock(self, pooled: PooledLead, *, publish: bool = True) -> int:
        """Add a routed lead: 1 stocked, 2 moved to its new pool, 0 a replay.

        `publish=False` while rebuilding from Kafka: the events exist.
        """
        lead = pooled.lead
        added = await self.scripts.stock(
            keys=[
                self.keys.lead(lead.lead_id),
                self.keys.available(pooled.pool),
                self.keys.outbox,
            ],
            args=[
                lead.lead_id,
                pooled.pool,
                initial_priority(pooled),
                to_ms(self.clock.now()),
                to_ms(pooled.routed_at),
                lead.score,
                lead.source,
                pooled.config_version,
                lead.model_dump_json(),
                self.keys.prefix,
                "1" if publish else "0",
            ],
        )
        return int(added)

    async def escalate(self, command: HygieneCommand) -> bool:
        assert command.lead_id is not None and command.top_pct is not None
        changed = await self.scripts.escalate(
            keys=[
                self.keys.lead(command.lead_id),
                self.keys.applied_commands,
                self.keys.outbox,
            ],
            args=[
                command.lead_id,
                command.top_pct,
                to_ms(self.clock.now()),
                command.config_version,
                command.policy,
                command.command_id,
                self.keys.prefix,
            ],
        )
        return changed is not None

    async def depth(self, pool: str) -> int:
        return int(await self.redis.zcard(self.keys.available(pool)))

    async def available(self, pool: str, limit: int) -> list[dict[str, Any]]:
        lead_ids = await self.redis.zrevrange(self.keys.available(pool), 0, limit - 1)
        return [await self.lead(str(lead_id)) for lead_id in lead_ids]

    async def lead(self, lead_id: str) -> dict[str, Any]:
        stored: dict[str, Any] = await self.redis.hgetall(  # type: ignore[assignment]
            self.keys.lead(lead_id)
        )
        return stored

    async def history(self, lead_id: str) -> list[dict[str, Any]]:
        """The lead's published events, in the order they were made."""
        stored = await self.redis.hvals(self.keys.lead_history(lead_id))
        events = [json.loads(event) for event in stored]
        return sorted(events, key=lambda e: _outbox_order(e["event_id"]))


def _outbox_order(event_id: str) -> tuple[int, int]:
    # Event ids are outbox stream ids ("<ms>-<seq>"), in the order of change.
    ms, _, seq = event_id.partition("-")
    if not (ms.isdigit() and (seq or "0").isdigit()):
        return (0, 0)  # not from this outbox: first, rather than fail
    return int(ms), int(seq or 0)


def initial_priority(pooled: PooledLead) -> float:
    # Score first; escalations from hygiene raise it later.
    return float(pooled.lead.score)
