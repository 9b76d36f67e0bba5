"""Rebalancing triggers on volume, age and performance (pure).

Decided on the leader over every pool's figures; each command carries the
figures that crossed the threshold.
"""

import math
from collections.abc import Mapping
from datetime import datetime, timedelta

from schemas.commands import Action, HygieneCommand
from schemas.config import LeadpoolConfig
from schemas.config.pools import Quality
from schemas.events import Removal
from services.hygiene.pool_commands import day_key, pool_command
from services.hygiene.pool_figures import PoolFigures
from services.hygiene.stale import review_if_stale


def rebalance_commands(
    figures: dict[str, PoolFigures],
    config: LeadpoolConfig,
    now: datetime,
    duplicate_of: Mapping[str, str] | None = None,
) -> list[HygieneCommand]:
    """`duplicate_of`: lead id -> the lead it duplicates, as the stale scan
    finds them (`stale.duplicates` over every lead)."""
    return [
        *volume_commands(figures, config, now),
        *age_commands(figures, config, now, duplicate_of),
        *performance_commands(figures, config, now),
    ]


def volume_commands(
    figures: dict[str, PoolFigures], config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    rules = config.hygiene.volume
    quarantine = config.routing.quarantine_pool
    over = [
        f for f in figures.values() if f.depth > rules.over and f.pool != quarantine
    ]
    under = [
        f for f in figures.values() if f.depth < rules.under and f.pool != quarantine
    ]
    commands: list[HygieneCommand] = []
    for full in sorted(over, key=lambda f: -f.depth):
        territory = (
            config.pool(full.pool).territory if full.pool in config.pool_names else None
        )
        if territory:
            commands.append(_open_territory(full, config, now))
        for empty in [
            e for e in under if _rank(config, e.pool) <= _rank(config, full.pool)
        ]:
            count = min(full.depth - rules.over, rules.under - empty.depth)
            lowest = sorted(full.leads, key=lambda lead: lead.priority)[:count]
            figures_: dict[str, float | str] = {
                "depth": full.depth,
                "over": rules.over,
                "target_depth": empty.depth,
                "under": rules.under,
            }
            commands += [
                pool_command(
                    f"{lead.lead_id}:{lead.pooled_at:%s}",
                    Action.MOVE,
                    "rebalance.volume",
                    full.pool,
                    figures_,
                    config,
                    now,
                    lead_id=lead.lead_id,
                    target_pool=empty.pool,
                    priority=lead.priority,
                )
                for lead in lowest
            ]
            full = PoolFigures(full.pool, [x for x in full.leads if x not in lowest])
    return commands


def _open_territory(
    full: PoolFigures, config: LeadpoolConfig, now: datetime
) -> HygieneCommand:
    hours = config.hygiene.volume.cross_territory_hours
    return pool_command(
        day_key(now),
        Action.OPEN_TERRITORY,
        "rebalance.territory",
        full.pool,
        {"depth": full.depth, "over": config.hygiene.volume.over, "hours": hours},
        config,
        now,
        until=now + timedelta(hours=hours),
        message="territory pool overloaded: cross-territory claiming opened",
    )


def age_commands(
    figures: dict[str, PoolFigures],
    config: LeadpoolConfig,
    now: datetime,
    duplicate_of: Mapping[str, str] | None = None,
) -> list[HygieneCommand]:
    rules = config.hygiene.age
    commands: list[HygieneCommand] = []
    for pool in figures.values():
        average = pool.average_age_hours(now)
        if average > rules.average_age_hours and pool.pool != rules.priority_pool:
            oldest = sorted(pool.leads, key=lambda lead: lead.pooled_at)
            share = oldest[: math.ceil(len(oldest) * rules.escalate_oldest_pct / 100)]
            commands += [
                pool_command(
                    f"{lead.lead_id}:{lead.pooled_at:%s}",
                    Action.MOVE,
                    "rebalance.age",
                    pool.pool,
                    {
                        "average_age_hours": round(average, 2),
                        "threshold_hours": rules.average_age_hours,
                        "escalate_oldest_pct": rules.escalate_oldest_pct,
                    },
                    config,
                    now,
                    lead_id=lead.lead_id,
                    target_pool=rules.priority_pool,
                )
                for lead in share
            ]
        if _quality(config, pool.pool) is Quality.COLD:
            commands += _cold_to_nurture(pool, config, now, duplicate_of or {})
    return commands


def _cold_to_nurture(
    pool: PoolFigures,
    config: LeadpoolConfig,
    now: datetime,
    duplicate_of: Mapping[str, str],
) -> list[HygieneCommand]:
    limit = timedelta(days=config.hygiene.age.cold_to_nurture_days)
    policy = "rebalance.cold_nurture"
    commands: list[HygieneCommand] = []
    for lead in pool.leads:
        if now - lead.pooled_at <= limit:
            continue
        review = review_if_stale(
            lead, config, now, duplicate_of.get(lead.lead_id), found_by=policy
        )
        if review is not None:
            commands.append(review)
            continue
        commands.append(
            pool_command(
                f"{lead.lead_id}:{lead.pooled_at:%s}",
                Action.REMOVE,
                policy,
                pool.pool,
                {"age_days": round((now - lead.pooled_at) / timedelta(days=1), 2)},
                config,
                now,
                lead_id=lead.lead_id,
                destination=Removal.NURTURE,
            )
        )
    return commands


def performance_commands(
    figures: dict[str, PoolFigures], config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    rules = config.hygiene.performance
    since = (now - timedelta(days=rules.window_days)).date()
    commands: list[HygieneCommand] = []
    for pool in figures.values():
        flows = pool.totals(since)
        if flows.claimed >= rules.min_claims:
            conversion = flows.opportunities / flows.claimed
            if conversion < rules.min_conversion:
                commands.append(
                    pool_command(
                        day_key(now),
                        Action.AUDIT,
                        "rebalance.conversion",
                        pool.pool,
                        {
                            "conversion": round(conversion, 4),
                            "min_conversion": rules.min_conversion,
                            "claims": flows.claimed,
                        },
                        config,
                        now,
                        message="conversion low: new entries paused for an audit",
                    )
                )
        if flows.contacted:
            hours = flows.contact_hours / flows.contacted
            if hours > rules.max_claim_to_contact_hours:
                commands.append(
                    pool_command(
                        day_key(now),
                        Action.ALERT,
                        "rebalance.capacity",
                        pool.pool,
                        {
                            "claim_to_contact_hours": round(hours, 2),
                            "max_hours": rules.max_claim_to_contact_hours,
                        },
                        config,
                        now,
                        message="claim-to-contact slow: check rep capacity",
                    )
                )
    return commands


_RANKS = {Quality.HOT: 3, Quality.WARM: 2, Quality.COLD: 1, Quality.OTHER: 0}


def _rank(config: LeadpoolConfig, pool: str) -> int:
    # Low-priority leads go sideways or down, never up into a better pool.
    return _RANKS[_quality(config, pool) or Quality.OTHER]


def _quality(config: LeadpoolConfig, pool: str) -> Quality | None:
    return config.pool(pool).quality if pool in config.pool_names else None
