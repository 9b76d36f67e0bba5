"""Pools whose intake hygiene changed: audits and moved score thresholds.

Hygiene sends AUDIT (low conversion: keep new leads out while the pool is
audited) and ADJUST_INTAKE (depletion or depth: move the score a lead
needs to enter). Whichever router worker reads a command records it in
Redis under its command id, so a replay changes nothing and every worker
sees it on its next refresh.
"""

import json
import logging
from datetime import datetime, timedelta

import redis.asyncio as aioredis

from schemas.commands import Action, HygieneCommand
from schemas.config.routing import PoolIntake
from services.common.clock import Clock, to_ms

log = logging.getLogger(__name__)

FOREVER_MS = 0  # an adjustment without an end stays until moved back


class PoolControls:
    def __init__(self, redis: "aioredis.Redis", key: str, clock: Clock) -> None:
        self._redis = redis
        self._audits_key = f"{key}:audits"  # pool -> end of its audit (epoch ms)
        self._shifts_key = f"{key}:shifts"  # command id -> {pool, delta, until}
        self._clock = clock
        self._audit_until_ms: dict[str, int] = {}
        self._shifts: list[tuple[str, int, int]] = []  # pool, delta, until ms

    def audited(self, now: datetime | None = None) -> frozenset[str]:
        moment = to_ms(now or self._clock.now())
        return frozenset(
            pool for pool, until in self._audit_until_ms.items() if until > moment
        )

    def score_shift(
        self, rules: PoolIntake, now: datetime | None = None
    ) -> dict[str, int]:
        moment = to_ms(now or self._clock.now())
        totals: dict[str, int] = {}
        for pool, delta, until in self._shifts:
            if until == FOREVER_MS or until > moment:
                totals[pool] = totals.get(pool, 0) + delta
        bound = rules.max_score_shift
        return {pool: max(-bound, min(bound, total)) for pool, total in totals.items()}

    async def apply(self, command: HygieneCommand, rules: PoolIntake) -> bool:
        """Record an AUDIT or ADJUST_INTAKE; False for anything else."""
        if command.pool is None:
            return False
        if command.action is Action.AUDIT:
            await self._audit(command, rules)
        elif command.action is Action.ADJUST_INTAKE and command.threshold_delta:
            await self._shift(command, command.threshold_delta)
        else:
            return False
        await self.refresh()
        return True

    async def refresh(self) -> None:
        audits = await self._redis.hgetall(self._audits_key)
        self._audit_until_ms = {str(pool): int(end) for pool, end in audits.items()}
        shifts = await self._redis.hgetall(self._shifts_key)
        self._shifts = [
            (str(entry["pool"]), int(entry["delta"]), int(entry["until"]))
            for entry in (json.loads(raw) for raw in shifts.values())
        ]

    async def _audit(self, command: HygieneCommand, rules: PoolIntake) -> None:
        assert command.pool is not None
        until = command.until or command.issued_at + timedelta(
            hours=rules.audit_pause_hours
        )
        current = await self._redis.hget(self._audits_key, command.pool)
        # A later end wins: a replayed older audit must not shorten a newer one.
        if current is None or int(current) < to_ms(until):
            await self._redis.hset(self._audits_key, command.pool, to_ms(until))
        log.info(
            "pool paused for an audit",
            extra={
                "pool": command.pool,
                "policy": command.policy,
                "until": until.isoformat(),
                "figures": command.figures,
            },
        )

    async def _shift(self, command: HygieneCommand, delta: int) -> None:
        entry = {
            "pool": command.pool,
            "delta": delta,
            "until": to_ms(command.until) if command.until else FOREVER_MS,
        }
        await self._redis.hsetnx(
            self._shifts_key, command.command_id, json.dumps(entry)
        )
        log.info(
            "pool score threshold moved",
            extra={
                "pool": command.pool,
                "policy": command.policy,
                "delta": delta,
                "figures": command.figures,
            },
        )
