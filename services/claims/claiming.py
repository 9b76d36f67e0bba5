"""Claiming: the outcome of one atomic claim step, in domain terms."""

import json
from dataclasses import dataclass
from datetime import datetime

import redis.asyncio as aioredis

from schemas.config import LeadpoolConfig
from schemas.config.access import User
from services.claims.keys import Keys
from services.claims.policy import claim_policy, encode
from services.claims.scripts import Scripts
from services.common.clock import from_ms, to_ms


@dataclass(frozen=True)
class Claimed:
    lead_id: str
    pool: str
    rep_id: str
    event_stream_id: str


@dataclass(frozen=True)
class Refused:
    """The rule that refused a claim, its current count, limit and reset."""

    rule: str
    count: int
    limit: int
    resets_at: datetime | None


class Claims:
    def __init__(self, redis: "aioredis.Redis", keys: Keys, scripts: Scripts) -> None:
        self.redis = redis
        self.keys = keys
        self.scripts = scripts

    async def claim(
        self,
        config: LeadpoolConfig,
        rep: User,
        moment: datetime,
        *,
        lead_id: str | None = None,
        pool: str | None = None,
        auto: bool = False,
        reason: str | None = None,
    ) -> Claimed | Refused:
        """Claim `lead_id`, or the best available lead of `pool`."""
        if (lead_id is None) == (pool is None):
            raise ValueError("claim: give exactly one of lead_id or pool")
        policy = claim_policy(
            config, rep, moment, self.keys.prefix, auto=auto, reason=reason
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
                encode(policy),
            ],
        )
        answer = json.loads(raw)
        if answer["outcome"] == "claimed":
            return Claimed(
                answer["lead_id"], answer["pool"], rep.id, answer["stream_id"]
            )
        reset = answer.get("reset_ms")
        return Refused(
            rule=answer["rule"],
            count=int(answer["count"]),
            limit=int(answer["limit"]),
            resets_at=from_ms(int(reset)) if reset is not None else None,
        )
