"""The fast lane's offer window: offered reps first, then round robin.

The router offers a fast-lane lead to several reps at once. Any of them
accepts by claiming it, so the claim step's atomicity makes the first one
win. A lead nobody claimed by the time its offer expires is assigned round
robin. Expiry times live in one Redis sorted set: every worker may sweep
it, and a restarted worker carries on where the last one stopped.
"""

import logging
from datetime import datetime, timedelta

import redis.asyncio as aioredis

from schemas.config import LeadpoolConfig
from schemas.events import PooledLead
from services.claims.claiming import Claimed
from services.claims.keys import Keys
from services.claims.roundrobin import FAST_LANE, RoundRobin
from services.common.clock import to_ms

log = logging.getLogger(__name__)

SWEEP_BATCH = 100  # expired offers handled per sweep; the rest wait a tick


class FastLaneOffers:
    def __init__(
        self, redis: "aioredis.Redis", keys: Keys, round_robin: RoundRobin
    ) -> None:
        self.redis = redis
        self.keys = keys
        self.round_robin = round_robin

    async def open(self, pooled: PooledLead, config: LeadpoolConfig) -> datetime:
        """Start the lead's offer window; when it ends, it goes round robin."""
        window = timedelta(seconds=config.routing.fast_lane.accept_within_s)
        expires = pooled.routed_at + window
        await self.redis.zadd(
            self.keys.fast_lane_offers, {pooled.lead.lead_id: to_ms(expires)}, nx=True
        )
        return expires

    async def assign_expired(self, config: LeadpoolConfig, now: datetime) -> int:
        """Assign every lead whose offer expired unclaimed; how many went."""
        expired = await self.redis.zrangebyscore(
            self.keys.fast_lane_offers, "-inf", to_ms(now), start=0, num=SWEEP_BATCH
        )
        assigned = 0
        for lead_id in map(str, expired):
            # Whoever removes the offer handles it: two sweeping workers
            # never both assign one lead.
            if await self.redis.zrem(self.keys.fast_lane_offers, lead_id):
                assigned += await self._assign(config, lead_id, now)
        return assigned

    async def _assign(self, config: LeadpoolConfig, lead_id: str, now: datetime) -> int:
        fields = await self.redis.hmget(self.keys.lead(lead_id), ["state", "pool"])
        state, pool = (str(f) if f is not None else None for f in fields)
        if state != "available" or pool is None:
            return 0  # an offered rep accepted it, or it left the pool

        outcome = await self.round_robin.assign(config, pool, now, FAST_LANE, lead_id)
        if not isinstance(outcome, Claimed):
            log.warning(
                "fast-lane offer expired and no rep could take the lead; "
                "it stays claimable in its pool",
                extra={"lead_id": lead_id, "pool": pool, "rule": outcome.rule},
            )
            return 0
        log.info(
            "fast-lane offer expired; lead assigned round robin",
            extra={"lead_id": lead_id, "rep_id": outcome.rep_id},
        )
        return 1
