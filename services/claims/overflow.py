"""Draining an overflowing pool's backlog by round robin.

Hygiene decides that a pool overflows (SET_POOL_MODE auto_assign at the
high-water mark) and that it has drained (back to claim below the
low-water mark); claims applies the mode. A lead arriving meanwhile is
assigned as it is stocked; the leads already waiting are assigned here,
best first, a bounded number a second so that reps' claims keep the Redis
primary.

Claims drains rather than hygiene sending one AUTO_ASSIGN per waiting lead:
the drain reads the pool's live depth, so it stops at the low-water mark
instead of overshooting by hygiene's lag behind leads.events, and a
replayed mode command cannot assign anything twice, because each
assignment is one atomic claim step on a lead that is still available.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

import redis.asyncio as aioredis

from schemas.config import LeadpoolConfig
from services.claims.claiming import Claimed
from services.claims.inventory import Inventory
from services.claims.keys import Keys
from services.claims.lifecycle import Lifecycle
from services.claims.roundrobin import RoundRobin
from services.common.clock import to_ms

log = logging.getLogger(__name__)

OVERFLOW = "overflow"  # the assignment reason; new leads get the same
OVERFLOW_MODE = "auto_assign"
_LOCK_KEPT_S = 60


@dataclass(frozen=True)
class BacklogDrain:
    redis: "aioredis.Redis"
    keys: Keys
    inventory: Inventory
    lifecycle: Lifecycle
    round_robin: RoundRobin
    # Why each pool's drain last stopped short, so a pool stuck for the same
    # reason is reported once, not every tick.
    stuck: dict[str, str] = field(default_factory=dict)

    async def drain(
        self, config: LeadpoolConfig, moment: datetime, tick_s: float
    ) -> dict[str, int]:
        """One tick: assign waiting leads of every overflowing pool.

        Returns how many leads each drained pool assigned. One worker drains
        a pool per tick (a Redis lock), so two workers do not overshoot the
        low-water mark together.
        """
        per_s = config.quotas.round_robin.overflow_backlog_per_s
        budget = max(1, round(per_s * tick_s))
        tick = to_ms(moment) // max(1, int(tick_s * 1000))
        assigned: dict[str, int] = {}
        for pool in config.pool_names:
            if await self.lifecycle.pool_mode(pool) != OVERFLOW_MODE:
                continue
            if not await self._take_tick(pool, tick):
                continue
            assigned[pool] = await self._drain_pool(config, pool, moment, budget)
        return assigned

    async def _take_tick(self, pool: str, tick: int) -> bool:
        # The first worker to name this tick drains it; the key outlives the
        # tick so that a worker whose clock lags a little finds it taken.
        key = self.keys.drain_lock(pool, tick)
        return bool(await self.redis.set(key, 1, nx=True, ex=_LOCK_KEPT_S))

    async def _drain_pool(
        self, config: LeadpoolConfig, pool: str, moment: datetime, budget: int
    ) -> int:
        floor = config.hygiene.overflow.low_water
        done = 0
        while done < budget and await self.inventory.depth(pool) >= floor:
            outcome = await self.round_robin.assign(config, pool, moment, OVERFLOW)
            if not isinstance(outcome, Claimed):
                if self.stuck.get(pool) != outcome.rule:
                    self.stuck[pool] = outcome.rule
                    log.warning(
                        "overflow backlog not assigned: retried each tick",
                        extra={"pool": pool, "rule": outcome.rule, "assigned": done},
                    )
                break
            self.stuck.pop(pool, None)
            done += 1
        if done:
            log.info(
                "overflow backlog assigned",
                extra={"pool": pool, "assigned": done, "low_water": floor},
            )
        return done
