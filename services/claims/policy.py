"""The claim policy of one rep at one moment, as the claim step reads it.

Everything that depends only on configuration and time is decided here;
everything that depends on Redis state (counts, availability) is decided
atomically inside the claim script.
"""

import json
from datetime import datetime, timedelta
from typing import Any

from schemas.config import LeadpoolConfig
from schemas.config.access import User
from services.claims.permissions import claim_refusal
from services.claims.windows import local, window_closed
from services.common.clock import to_ms

_DAY_MS = 86_400_000


def claim_policy(
    config: LeadpoolConfig,
    user: User,
    moment: datetime,
    prefix: str,
    *,
    auto: bool = False,
    reason: str | None = None,
) -> dict[str, Any]:
    quotas = config.quotas
    velocity = quotas.velocity
    open_pools, denied = _pool_gates(config, user, moment, auto)
    day_start = local(config, moment).replace(hour=0, minute=0, second=0, microsecond=0)
    periods = [r.period_days for r in quotas.ratios] + [
        c.period_days for c in quotas.cross_pool
    ]

    return {
        "prefix": prefix,
        "pools": open_pools,
        "denied": denied,
        "auto": auto,
        "reason": reason,
        "count_auto": quotas.auto_assigned_count,
        "daily_limit": quotas.daily_claims[user.performance],
        "day_start_ms": to_ms(day_start),
        "day_end_ms": to_ms(day_start + timedelta(days=1)),
        "max_open": quotas.max_open_leads,
        "pool_open": _caps(config, "max_open_leads_to_claim"),
        "pool_daily": _caps(config, "daily_claims_per_rep"),
        "per_hour": velocity.max_claims_per_hour,
        "run_length": velocity.consecutive_claims,
        "run_gap_ms": int(velocity.consecutive_gap_minutes * 60_000),
        "cooldown_ms": int(velocity.cooldown_minutes * 60_000),
        "ratios": [
            {
                "quality": r.quality.value,
                "per": r.per.value,
                "requires": r.requires,
                "period_ms": int(r.period_days * _DAY_MS),
            }
            for r in quotas.ratios
        ],
        "cross": [
            {
                "quality": c.quality.value,
                "min_claims": c.min_claims,
                "period_ms": int(c.period_days * _DAY_MS),
            }
            for c in quotas.cross_pool
        ],
        "keep_ms": int((max(periods, default=1) + 1) * _DAY_MS),
    }


def encode(policy: dict[str, Any]) -> str:
    # Lua's cjson turns an empty JSON object into an array; the script only
    # indexes these by key, so either decodes the same.
    return json.dumps(policy, separators=(",", ":"))


def _pool_gates(
    config: LeadpoolConfig, user: User, moment: datetime, auto: bool
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    open_pools: dict[str, str] = {}
    denied: dict[str, dict[str, Any]] = {}
    for pool in config.pools:
        rule = claim_refusal(config, user, pool)
        if rule is None and not auto:
            closed = window_closed(config, user, pool, moment)
            if closed is not None:
                opens = to_ms(closed.opens_at) if closed.opens_at else None
                denied[pool.name] = {"rule": closed.rule, "reset_ms": opens}
                continue
        if rule is None or (auto and rule != "user_inactive"):
            open_pools[pool.name] = pool.quality.value
        else:
            denied[pool.name] = {"rule": rule}
    return open_pools, denied


def _caps(config: LeadpoolConfig, field: str) -> dict[str, int]:
    return {
        pool.name: getattr(pool, field)
        for pool in config.pools
        if getattr(pool, field) is not None
    }
