"""The claims service's parts against the session's real Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import redis.asyncio as aioredis

from services.claims.claiming import Claims
from services.claims.commands import CommandApplier
from services.claims.inventory import Inventory
from services.claims.keys import Keys
from services.claims.lifecycle import Lifecycle
from services.claims.roundrobin import RoundRobin
from services.claims.scripts import Scripts
from services.claims.transfers import Transfers
from services.common.clock import VirtualClock
from tests.claims.support import MONDAY_10


@dataclass
class Parts:
    redis: aioredis.Redis
    keys: Keys
    clock: VirtualClock
    inventory: Inventory
    claims: Claims
    lifecycle: Lifecycle
    transfers: Transfers
    round_robin: RoundRobin

    def applier(self) -> CommandApplier:
        """Hygiene's commands applied by these parts, on the virtual clock."""
        return CommandApplier(
            self.redis,
            self.keys,
            self.inventory,
            self.lifecycle,
            self.round_robin,
            self.clock,
        )

    async def outbox_types(self) -> list[str]:
        entries = await self.redis.xrange(self.keys.outbox)
        return [fields["type"] for _, fields in entries]


@pytest.fixture
async def parts(redis_url: str, unique_prefix: str) -> AsyncIterator[Parts]:
    # Callers beyond the pool's size wait for a connection instead of failing.
    pool = aioredis.BlockingConnectionPool.from_url(
        redis_url, max_connections=64, decode_responses=True, protocol=2
    )
    redis = aioredis.Redis(connection_pool=pool)
    keys = Keys(f"lp:{unique_prefix}:claims")
    scripts = Scripts.register(redis)
    clock = VirtualClock(MONDAY_10)
    claims = Claims(redis, keys, scripts)
    yield Parts(
        redis,
        keys,
        clock,
        Inventory(redis, keys, scripts, clock),
        claims,
        Lifecycle(redis, keys, scripts),
        Transfers(redis, keys, scripts),
        RoundRobin(redis, keys, claims),
    )
    stale = [key async for key in redis.scan_iter(f"{keys.prefix}:*", count=10_000)]
    if stale:
        await redis.delete(*stale)
    await redis.aclose()
    await pool.disconnect()
