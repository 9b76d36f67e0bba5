"""Overflow: a pool at its high-water mark changes mode until it drains.

The mode holds between the two marks (hysteresis), so a pool hovering at
the high-water mark does not flip back and forth.
"""

from datetime import datetime

from schemas.commands import Action, HygieneCommand
from schemas.config import LeadpoolConfig
from schemas.config.hygiene import OverflowMode
from services.hygiene.ops_log import OVERFLOW_POLICY
from services.hygiene.pool_commands import pool_command
from services.hygiene.pool_figures import PoolFigures

POLICY = OVERFLOW_POLICY


class OverflowGuard:
    def __init__(self) -> None:
        self.overflowing: set[str] = set()

    def restore(self, overflowing: set[str]) -> None:
        """Take over the pools that earlier leaders left in overflow, as read
        back from `hygiene.actions`: a new leader must still switch a drained
        pool back. A pool switched back here but not yet read back is only
        switched back once more, which claims treats as a no-op."""
        self.overflowing |= overflowing

    def commands(
        self, figures: dict[str, PoolFigures], config: LeadpoolConfig, now: datetime
    ) -> list[HygieneCommand]:
        rules = config.hygiene.overflow
        commands: list[HygieneCommand] = []
        for pool in figures.values():
            if pool.pool not in self.overflowing and pool.depth >= rules.high_water:
                self.overflowing.add(pool.pool)
                commands += _enter(pool, config, now)
            elif pool.pool in self.overflowing and pool.depth < rules.low_water:
                self.overflowing.discard(pool.pool)
                commands += _leave(pool, config, now)
        return commands


def _figures(pool: PoolFigures, config: LeadpoolConfig) -> dict[str, float | str]:
    rules = config.hygiene.overflow
    return {
        "depth": pool.depth,
        "high_water": rules.high_water,
        "low_water": rules.low_water,
        "mode": rules.mode.value,
    }


def _enter(
    pool: PoolFigures, config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    rules = config.hygiene.overflow
    key = f"on:{now:%s}"
    match rules.mode:
        case OverflowMode.OUTSOURCE if rules.partner_pool:
            excess = sorted(pool.leads, key=lambda lead: lead.priority)
            excess = excess[: pool.depth - rules.low_water]
            return [
                _command(
                    f"{lead.lead_id}:{lead.pooled_at:%s}",
                    Action.MOVE,
                    pool,
                    config,
                    now,
                    lead_id=lead.lead_id,
                    target_pool=rules.partner_pool,
                )
                for lead in excess
            ]
        case OverflowMode.PAUSE_INTAKE:
            return _per_source(key, Action.PAUSE_SOURCE, pool, config, now)
        case _:
            mode = rules.mode.value
            return [_command(key, Action.SET_POOL_MODE, pool, config, now, mode=mode)]


def _leave(
    pool: PoolFigures, config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    mode = config.hygiene.overflow.mode
    key = f"off:{now:%s}"
    if mode is OverflowMode.PAUSE_INTAKE:
        return _per_source(key, Action.RESUME_SOURCE, pool, config, now)
    if mode is OverflowMode.OUTSOURCE:
        return []
    return [_command(key, Action.SET_POOL_MODE, pool, config, now, mode="claim")]


def _per_source(
    key: str, action: Action, pool: PoolFigures, config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    return [
        _command(f"{key}:{source}", action, pool, config, now, source=source)
        for source in config.hygiene.overflow.low_priority_sources
    ]


def _command(
    key: str,
    action: Action,
    pool: PoolFigures,
    config: LeadpoolConfig,
    now: datetime,
    **fields: object,
) -> HygieneCommand:
    figures = _figures(pool, config)
    return pool_command(key, action, POLICY, pool.pool, figures, config, now, **fields)
