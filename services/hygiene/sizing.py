"""Dynamic pool sizing and seasonal adjustments (pure).

Depletion (claims / additions) and depth are judged on whole days of
event time, so a partial today never triggers a change.
"""

from datetime import date, datetime, timedelta

from schemas.commands import Action, HygieneCommand
from schemas.config import LeadpoolConfig
from services.hygiene.pool_commands import day_key, pool_command
from services.hygiene.pool_figures import PoolFigures


def sizing_commands(
    figures: dict[str, PoolFigures], config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    commands: list[HygieneCommand] = []
    for pool in figures.values():
        commands += _depletion(pool, config, now)
        commands += _depth(pool, config, now)
        commands += _age(pool, config, now)
    return commands


def _depletion(
    pool: PoolFigures, config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    rules = config.hygiene.sizing
    days = pool.complete_days(now, rules.low_depletion_days)
    rates = [_rate(pool, day) for day in days]
    if not all(rate is not None and rate < rules.low_depletion for rate in rates):
        return []
    return [
        pool_command(
            day_key(now),
            Action.ADJUST_INTAKE,
            "sizing.depletion",
            pool.pool,
            {
                "depletion_by_day": ",".join(
                    f"{rate:.2f}" for rate in rates if rate is not None
                ),
                "low_depletion": rules.low_depletion,
                "days": rules.low_depletion_days,
            },
            config,
            now,
            threshold_delta=rules.threshold_step,
            message="pool growing: qualification threshold raised to shrink intake",
        )
    ]


def _rate(pool: PoolFigures, day: date) -> float | None:
    flows = pool.days.get(day)
    if flows is None or flows.added == 0:
        return None  # no additions that day: depletion is undefined
    return flows.claimed / flows.added


def _depth(
    pool: PoolFigures, config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    rules = config.hygiene.sizing
    days = pool.complete_days(now, rules.shallow_days)
    depths = [pool.depth_at_end_of(day) for day in days]
    if not pool.days or not all(depth < rules.shallow_depth for depth in depths):
        return []
    return [
        pool_command(
            day_key(now),
            Action.ADJUST_INTAKE,
            "sizing.depth",
            pool.pool,
            {
                "depth_by_day": ",".join(str(depth) for depth in depths),
                "shallow_depth": rules.shallow_depth,
                "days": rules.shallow_days,
            },
            config,
            now,
            threshold_delta=-rules.threshold_step,
            message="pool shallow: qualification threshold lowered to grow intake",
        )
    ]


def _age(
    pool: PoolFigures, config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    rules = config.hygiene.sizing
    average = pool.average_age_hours(now)
    if average <= rules.max_average_age_hours:
        return []
    figures: dict[str, float | str] = {
        "average_age_hours": round(average, 2),
        "max_average_age_hours": rules.max_average_age_hours,
    }
    return [
        pool_command(
            f"{day_key(now)}:{source}",
            Action.PAUSE_SOURCE,
            "sizing.age",
            pool.pool,
            figures,
            config,
            now,
            source=source,
            # Decided again each day while the pool stays old, so it ends.
            until=now + timedelta(days=1),
        )
        for source in config.hygiene.overflow.low_priority_sources
    ]


def season_commands(
    figures: dict[str, PoolFigures], config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    """While a season is on, each pool's capacity follows its factor."""
    today = now.date()
    commands: list[HygieneCommand] = []
    for season in config.hygiene.seasons:
        if not season.start <= today <= season.end:
            continue
        for pool in figures.values():
            commands.append(
                pool_command(
                    f"{season.name}:{season.start.isoformat()}",
                    Action.ADJUST_INTAKE,
                    "sizing.season",
                    pool.pool,
                    {"season": season.name, "capacity_factor": season.capacity_factor},
                    config,
                    now,
                    threshold_delta=0,
                    until=datetime.combine(season.end, datetime.max.time(), now.tzinfo),
                    mode="auto_assign" if season.auto_assign else None,
                    message=f"season {season.name} is on",
                )
            )
    return commands
