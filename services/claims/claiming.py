"""Claiming: the outcome of one atomic claim step, in domain terms."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis

from schemas.config import LeadpoolConfig
from schemas.config.access import User
from services.claims.keys import Keys
from services.claims.policy import Assignment, PolicyEncoder
from services.claims.scripts import Scripts
from services.common.clock import from_ms, to_ms


@dataclass(frozen=True)
class Claimed:
    lead_id: str
    pool: str
    rep_id: str
    event_stream_id: str
    lead_json: str | None = None  # the lead's full body, contact fields included


@dataclass(frozen=True)
class Refused:
    """The rule that refused a claim, its current count, limit and reset."""

    rule: str
    count: int
    limit: int
    resets_at: datetime | None


@dataclass(frozen=True)
class RuleCheck:
    """One rule as "why not me" reports it."""

    rule: str
    passed: bool
    count: int
    limit: int
    resets_at: datetime | None


class Claims:
    def __init__(self, redis: "aioredis.Redis", keys: Keys, scripts: Scripts) -> None:
        self.redis = redis
        self.keys = keys
        self.scripts = scripts
        self.policies = PolicyEncoder(keys.prefix)

    async def claim(
        self,
        config: LeadpoolConfig,
        rep: User,
        moment: datetime,
        *,
        lead_id: str | None = None,
        pool: str | None = None,
        assignment: Assignment | None = None,
    ) -> Claimed | Refused:
        """Claim `lead_id`, or the best available lead of `pool`."""
        answer = await self._run(
            config, rep, moment, lead_id, pool, assignment=assignment
        )
        if answer["outcome"] == "claimed":
            return Claimed(
                answer["lead_id"],
                answer["pool"],
                rep.id,
                answer["stream_id"],
                answer.get("lead"),
            )
        return Refused(
            rule=answer["rule"],
            count=int(answer["count"]),
            limit=int(answer["limit"]),
            resets_at=_moment(answer.get("reset_ms")),
        )

    async def claim_batch(
        self, config: LeadpoolConfig, rep: User, moment: datetime, pool: str, n: int
    ) -> tuple[list[Claimed], Refused | None]:
        """Blind pull of up to `n` leads; stops at the first refusal."""
        taken: list[Claimed] = []
        for _ in range(n):
            outcome = await self.claim(config, rep, moment, pool=pool)
            if isinstance(outcome, Refused):
                return taken, outcome
            taken.append(outcome)
        return taken, None

    async def why_not(
        self,
        config: LeadpoolConfig,
        rep: User,
        moment: datetime,
        *,
        lead_id: str | None = None,
        pool: str | None = None,
    ) -> list[RuleCheck] | Refused:
        """Every rule the claim step would evaluate now, with its figures.

        Writes nothing. A Refused answer means there is no lead to check
        (an unknown lead, an empty pool).
        """
        answer = await self._run(config, rep, moment, lead_id, pool, dry_run=True)
        if answer["outcome"] != "checked":
            return Refused(answer["rule"], 0, 0, None)
        return [
            RuleCheck(
                rule=rule["rule"],
                passed=bool(rule["passed"]),
                count=int(rule["count"]),
                limit=int(rule["limit"]),
                resets_at=_moment(rule.get("reset_ms")),
            )
            for rule in answer["rules"]
        ]

    async def _run(
        self,
        config: LeadpoolConfig,
        rep: User,
        moment: datetime,
        lead_id: str | None,
        pool: str | None,
        *,
        assignment: Assignment | None = None,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        if (lead_id is None) == (pool is None):
            raise ValueError("claim: give exactly one of lead_id or pool")
        policy = self.policies.encode(
            config, rep, moment, assignment=assignment, dry_run=dry_run
        )
        raw = await self.scripts.claim(
            keys=[
                self.keys.lead(lead_id or ""),
                self.keys.rep_open(rep.id),
                self.keys.rep_claims(rep.id),
                self.keys.rep_state(rep.id),
                self.keys.outbox,
            ],
            args=[
                lead_id or "",
                pool or "",
                rep.id,
                to_ms(moment),
                config.version,
                policy,
            ],
        )
        answer: dict[str, Any] = json.loads(raw)
        return answer


def _moment(epoch_ms: Any) -> datetime | None:
    return from_ms(int(epoch_ms)) if epoch_ms is not None else None
