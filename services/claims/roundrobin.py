"""Round-robin auto-assignment over a persistent fairness ledger.

The ledger counts assignments per rep and lane (a pool), weighted: a rep
of weight 2 counts half per lead, so gets twice as many. The next lead
goes to the eligible rep with the lowest count. A rep new to the lane
starts at the lowest count among the regulars, so adding a rep resets
nobody; a rep back from an absence either resumes at that floor or keeps
the old count, per `quotas.round_robin.absence_policy`.
"""

from datetime import datetime
from typing import Any, cast

import redis.asyncio as aioredis

from schemas.config import LeadpoolConfig
from schemas.config.access import Permission, Role, User
from schemas.config.quotas import AbsencePolicy
from services.claims.claiming import Claimed, Claims, Refused
from services.claims.keys import Keys
from services.claims.permissions import permissions
from services.claims.policy import Assignment
from services.common.availability import absent, off_shift
from services.common.clock import to_ms

_LAST = "__last__"  # field of the seen hash: time of the last assignment
FAST_LANE = "fast_lane"  # the assignment reason of hot leads over the bar


def eligible_reps(config: LeadpoolConfig, pool: str, moment: datetime) -> list[User]:
    """Active reps with claim rights on the pool, present and on shift."""
    target = config.pool(pool)
    return [
        user
        for user in config.users
        if user.role is Role.REP
        and user.active
        and user.round_robin_weight > 0
        and Permission.CLAIM in permissions(config, user, target)
        and not absent(config, user, moment)
        and not off_shift(config, user, moment)
    ]


def fair_order(
    reps: list[str],
    counts: dict[str, float],
    regulars: set[str],
    policy: AbsencePolicy,
) -> tuple[list[str], dict[str, float]]:
    """Reps by ledger count, lowest first, and the counts to persist.

    Pure: `regulars` are the reps that were eligible at the last
    assignment; anyone else is new to the lane or back from an absence.
    """
    floor = min((counts.get(r, 0.0) for r in regulars if r in reps), default=None)
    if floor is None:
        floor = min((counts[r] for r in reps if r in counts), default=0.0)
    lifted: dict[str, float] = {}
    for rep in reps:
        if rep in regulars:
            continue
        if rep not in counts or (
            policy is AbsencePolicy.RESUME_AT_FLOOR and counts[rep] < floor
        ):
            lifted[rep] = floor
    effective = counts | lifted
    order = sorted(reps, key=lambda rep: (effective.get(rep, floor), rep))
    return order, lifted


class RoundRobin:
    def __init__(self, redis: "aioredis.Redis", keys: Keys, claims: Claims) -> None:
        self.redis = redis
        self.keys = keys
        self.claims = claims

    async def assign(
        self,
        config: LeadpoolConfig,
        pool: str,
        moment: datetime,
        reason: str,
        lead_id: str | None = None,
    ) -> Claimed | Refused:
        """Assign `lead_id` (or the pool's best lead) to the next fair rep.

        A fast-lane assignment passes over reps that hygiene took out of the
        fast lane for missed hot-lead deadlines, until a manager restores them.
        """
        reps = {u.id: u for u in eligible_reps(config, pool, moment)}
        if reason == FAST_LANE:
            for rep_id in await self.redis.smembers(self.keys.fast_lane_out):
                reps.pop(str(rep_id), None)
        if not reps:
            return Refused("no_eligible_rep", 0, 0, None)
        order = await self._order(config, pool, list(reps), moment)

        last: Claimed | Refused = Refused("no_eligible_rep", 0, 0, None)
        for rep_id in order[: config.quotas.round_robin.max_candidates]:
            rep = reps[rep_id]
            assignment = Assignment(
                reason, self.keys.ledger(pool), rep.round_robin_weight
            )
            last = await self.claims.claim(
                config,
                rep,
                moment,
                lead_id=lead_id,
                pool=None if lead_id else pool,
                assignment=assignment,
            )
            if isinstance(last, Claimed) or last.rule in _LEAD_GONE:
                return last
        return last

    async def ledger(self, pool: str) -> dict[str, float]:
        raw = await self.redis.hgetall(self.keys.ledger(pool))
        return {str(rep): float(count) for rep, count in raw.items()}

    async def _order(
        self, config: LeadpoolConfig, pool: str, reps: list[str], moment: datetime
    ) -> list[str]:
        counts = await self.ledger(pool)
        raw = await self.redis.hgetall(self.keys.ledger_seen(pool))
        seen = {str(rep): str(at) for rep, at in raw.items()}
        last = seen.get(_LAST)
        regulars = {rep for rep in reps if last is not None and seen.get(rep) == last}
        order, lifted = fair_order(
            reps, counts, regulars, config.quotas.round_robin.absence_policy
        )

        now = str(to_ms(moment))
        async with self.redis.pipeline(transaction=True) as pipe:
            if lifted:
                pipe.hset(self.keys.ledger(pool), mapping=cast(Any, lifted))
            pipe.hset(
                self.keys.ledger_seen(pool),
                mapping=cast(Any, {rep: now for rep in reps} | {_LAST: now}),
            )
            await pipe.execute()
        return order


# Refusals that no other rep would escape: stop trying.
_LEAD_GONE = {"unknown_lead", "not_available", "pool_empty"}
