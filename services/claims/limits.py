"""A rep's remaining limits: daily quota, pool caps, open leads, velocity."""

from datetime import datetime, timedelta

import redis.asyncio as aioredis

from schemas.config import LeadpoolConfig
from schemas.config.access import User
from services.claims.keys import Keys
from services.claims.models import Limit
from services.common.availability import local
from services.common.clock import from_ms, to_ms

_HOUR = timedelta(hours=1)


async def remaining_limits(
    redis: "aioredis.Redis",
    keys: Keys,
    config: LeadpoolConfig,
    rep: User,
    moment: datetime,
) -> list[Limit]:
    quotas = config.quotas
    day_start = local(config, moment).replace(hour=0, minute=0, second=0, microsecond=0)
    day_end = day_start + timedelta(days=1)
    log = keys.rep_claims(rep.id)
    capped = [p for p in config.pools if p.daily_claims_per_rep is not None]

    async with redis.pipeline(transaction=False) as pipe:
        pipe.zcount(log, f"({to_ms(day_start)}", "+inf")
        pipe.scard(keys.rep_open(rep.id))
        pipe.zcount(log, f"({to_ms(moment - _HOUR)}", "+inf")
        pipe.hmget(
            keys.rep_state(rep.id),
            ["cooldown_until_ms", "penalty_quota", "penalty_until_ms"],
        )
        for pool in capped:
            pipe.zcount(f"{log}:{pool.name}", f"({to_ms(day_start)}", "+inf")
        today, open_leads, hour, state, *per_pool = await pipe.execute()

    cooldown, penalty, penalty_until = state
    cooling = int(cooldown or 0) > to_ms(moment)
    # As the claim step computes it: an SLA penalty shrinks the quota a while.
    daily = quotas.daily_claims[rep.performance]
    if int(penalty_until or 0) > to_ms(moment):
        daily = max(0, daily - int(penalty or 0))
    limits = [
        Limit(rule="daily_quota", used=today, limit=daily, resets_at=day_end),
        Limit(rule="max_open_leads", used=open_leads, limit=quotas.max_open_leads),
        Limit(
            rule="hourly_velocity",
            used=hour,
            limit=quotas.velocity.max_claims_per_hour,
        ),
        Limit(
            rule="cooldown",
            used=1 if cooling else 0,
            limit=1,
            resets_at=from_ms(int(cooldown)) if cooling else None,
        ),
    ]
    limits += [
        Limit(
            rule=f"pool_daily_cap:{pool.name}",
            used=used,
            limit=pool.daily_claims_per_rep,
            resets_at=day_end,
        )
        for pool, used in zip(capped, per_pool, strict=True)
    ]
    return limits
