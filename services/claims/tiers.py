"""Performance tiers recalculated from conversion and quota attainment.

Reps are ranked on a weighted mix of their conversion rate (leads
converted over leads claimed, from the claims service's own counts) and
their quota attainment (from configuration, fed by the CRM); the ranking
percentile places each in the band of `access.tiers`. Recalculated tiers
live in Redis and override the configured tier until the next run.
"""

import json
import logging
from datetime import datetime, timedelta

import redis.asyncio as aioredis

from schemas.config import LeadpoolConfig
from schemas.config.access import Role, User
from services.claims.keys import Keys
from services.common.clock import to_ms

log = logging.getLogger(__name__)

_PERIODS = {"weekly": timedelta(days=7), "monthly": timedelta(days=30)}


def percentile_ranks(values: dict[str, float]) -> dict[str, float]:
    """Each key's rank as a percentile, 0 (lowest) to 100 (highest)."""
    ordered = sorted(values, key=lambda key: (values[key], key))
    if len(ordered) == 1:
        return {ordered[0]: 100.0}
    return {key: 100 * i / (len(ordered) - 1) for i, key in enumerate(ordered)}


def rank_tiers(
    config: LeadpoolConfig,
    conversion: dict[str, float],
    attainment: dict[str, float],
) -> dict[str, int]:
    """The tier each rep earns; a rep with no figures keeps no new tier."""
    reps = sorted(set(conversion) | set(attainment))
    if not reps:
        return {}
    weight = config.access.conversion_weight
    by_conversion = percentile_ranks({r: conversion.get(r, 0.0) for r in reps})
    by_attainment = percentile_ranks({r: attainment.get(r, 0.0) for r in reps})
    score = {
        r: weight * by_conversion[r] + (1 - weight) * by_attainment[r] for r in reps
    }
    ranks = percentile_ranks(score)
    bands = sorted(config.access.tiers, key=lambda band: band.percentile_from)
    tiers: dict[str, int] = {}
    for rep in reps:
        band = next(
            (b for b in reversed(bands) if ranks[rep] >= b.percentile_from), bands[0]
        )
        tiers[rep] = band.tier
    return tiers


class Standings:
    """Recalculated tiers, held in memory for the claim path, kept in Redis."""

    def __init__(self, redis: "aioredis.Redis", keys: Keys) -> None:
        self.redis = redis
        self.keys = keys
        self.tiers: dict[str, int] = {}

    def apply(self, user: User) -> User:
        tier = self.tiers.get(user.id)
        if tier is None or tier == user.tier:
            return user
        return user.model_copy(update={"tier": tier})

    async def load(self) -> None:
        raw = await self.redis.hget(self.keys.standings, "tiers")
        self.tiers = {str(k): int(v) for k, v in json.loads(raw or "{}").items()}

    async def recalculate_if_due(
        self, config: LeadpoolConfig, moment: datetime
    ) -> bool:
        last = await self.redis.hget(self.keys.standings, "at_ms")
        period = _PERIODS[config.access.tier_recalculation]
        if last is not None and to_ms(moment) - int(last) < period / timedelta(
            milliseconds=1
        ):
            return False
        await self.recalculate(config, moment)
        return True

    async def recalculate(self, config: LeadpoolConfig, moment: datetime) -> None:
        reps = [u for u in config.users if u.role is Role.REP and u.active]
        conversion = await self._conversion([u.id for u in reps])
        attainment = {
            u.id: u.quota_attainment for u in reps if u.quota_attainment is not None
        }
        self.tiers = rank_tiers(config, conversion, attainment)
        await self.redis.hset(
            self.keys.standings,
            mapping={"tiers": json.dumps(self.tiers), "at_ms": to_ms(moment)},
        )
        log.info("tiers recalculated", extra={"tiers": self.tiers})

    async def _conversion(self, rep_ids: list[str]) -> dict[str, float]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for rep_id in rep_ids:
                pipe.hmget(self.keys.rep_state(rep_id), "claims_total", "conversions")
            replies = await pipe.execute()
        conversion: dict[str, float] = {}
        for rep_id, (claims, converted) in zip(rep_ids, replies, strict=True):
            if claims and int(claims) > 0:
                conversion[rep_id] = int(converted or 0) / int(claims)
        # TODO: counts are since the start; a rolling period would let an
        # old record fade. Needs per-period counters or a claim log scan.
        return conversion
