"""A lead's life after the claim: return, contact, outcome, remove, move.

Each change is one Lua call that also appends its event to the outbox;
`command_id` makes a hygiene command's replay a no-op.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis
from redis.commands.core import AsyncScript

from schemas.config import LeadpoolConfig
from schemas.events import Outcome, Removal, ReturnReason
from schemas.lead import Lead
from services.claims.keys import Keys
from services.claims.scripts import Scripts
from services.common.clock import from_ms, to_ms


@dataclass(frozen=True)
class Done:
    """The change was made; its event has this outbox id ('' when none)."""

    outcome: str
    stream_id: str
    details: dict[str, Any]


@dataclass(frozen=True)
class Rejected:
    """Nothing changed, and why (not_holder, not_available, ...)."""

    rule: str


Result = Done | Rejected


class Lifecycle:
    def __init__(self, redis: "aioredis.Redis", keys: Keys, scripts: Scripts) -> None:
        self.redis = redis
        self.keys = keys
        self.scripts = scripts

    async def give_back(
        self,
        config: LeadpoolConfig,
        lead_id: str,
        moment: datetime,
        *,
        reason: ReturnReason,
        rep_id: str | None = None,
        note: str | None = None,
        command_id: str = "",
    ) -> Result:
        """Return a held lead to its pool; `rep_id` must hold it if given."""
        cooldown_ms = int(config.quotas.return_cooldown_hours * 3_600_000)
        args = [lead_id, rep_id or "", reason.value, note or "", cooldown_ms]
        return await self._call(
            self.scripts.give_back, config, lead_id, moment, command_id, args
        )

    async def contact(
        self,
        config: LeadpoolConfig,
        lead_id: str,
        rep_id: str,
        moment: datetime,
        channel: str | None = None,
    ) -> Result:
        args = [lead_id, rep_id, channel or ""]
        return await self._call(self.scripts.contact, config, lead_id, moment, "", args)

    async def record_outcome(
        self,
        config: LeadpoolConfig,
        lead_id: str,
        rep_id: str,
        moment: datetime,
        outcome: Outcome,
        deal_size: float | None = None,
    ) -> Result:
        deal = "" if deal_size is None else repr(float(deal_size))
        args = [lead_id, rep_id, outcome.value, deal]
        return await self._call(self.scripts.outcome, config, lead_id, moment, "", args)

    async def remove(
        self,
        config: LeadpoolConfig,
        lead_id: str,
        moment: datetime,
        *,
        destination: Removal,
        policy: str,
        reason: str,
        command_id: str = "",
        decides_review: bool = False,
    ) -> Result:
        """Take an available lead out of its pool. A lead waiting in review
        leaves it only by ops' decision (`decides_review`); any other removal
        is refused as `in_review`."""
        args = [lead_id, destination.value, policy, reason, int(decides_review)]
        return await self._call(
            self.scripts.remove, config, lead_id, moment, command_id, args
        )

    async def move(
        self,
        config: LeadpoolConfig,
        lead_id: str,
        to_pool: str,
        moment: datetime,
        *,
        policy: str,
        command_id: str = "",
    ) -> Result:
        config.pool(to_pool)  # KeyError for a pool the configuration lacks
        args = [lead_id, to_pool, policy]
        return await self._call(
            self.scripts.move, config, lead_id, moment, command_id, args
        )

    async def reinstate(
        self,
        config: LeadpoolConfig,
        lead_id: str,
        to_pool: str,
        moment: datetime,
        *,
        policy: str,
        fixes: dict[str, str],
        command_id: str = "",
    ) -> Result:
        """Send a lead in review back to `to_pool` with `fixes` applied.

        Raises `ValueError` naming the field when a fix makes the lead
        invalid: the lead then stays in review.
        """
        config.pool(to_pool)  # KeyError for a pool the configuration lacks
        corrected = await self._corrected(lead_id, fixes) if fixes else ""
        args = [lead_id, to_pool, policy, json.dumps(fixes), corrected]
        return await self._call(
            self.scripts.reinstate, config, lead_id, moment, command_id, args
        )

    async def _corrected(self, lead_id: str, fixes: dict[str, str]) -> str:
        stored = await self.redis.hget(self.keys.lead(lead_id), "lead")
        if stored is None:
            return ""
        # Validated as a whole: a fix must leave a lead the contract accepts.
        fixed = Lead.model_validate(json.loads(stored) | fixes)
        return fixed.model_dump_json()

    async def give_back_all(
        self,
        config: LeadpoolConfig,
        rep_id: str,
        moment: datetime,
        reason: ReturnReason,
    ) -> int:
        """Return every lead the rep holds (deactivation); how many went back."""
        returned = 0
        for lead_id in await self.open_leads(rep_id):
            result = await self.give_back(
                config, lead_id, moment, reason=reason, rep_id=rep_id
            )
            returned += isinstance(result, Done)
        return returned

    async def set_away(self, rep_id: str, away: bool) -> None:
        """The presence toggle: an away rep gets no claims nor assignments."""
        await self.redis.hset(self.keys.rep_state(rep_id), "away", "1" if away else "0")

    async def set_pool_mode(self, pool: str, mode: str) -> None:
        await self.redis.hset(self.keys.pool_mode(pool), "mode", mode)

    async def pool_mode(self, pool: str) -> str:
        mode = await self.redis.hget(self.keys.pool_mode(pool), "mode")
        return str(mode or "claim")

    async def open_territory(self, pool: str, until: datetime) -> datetime:
        """Let reps of other territories claim here until `until` (a later
        opening already in force stands); returns when it ends."""
        ends = max(to_ms(until), await self._territory_until_ms(pool))
        await self.redis.hset(self.keys.pool_mode(pool), "territory_until_ms", ends)
        return from_ms(ends)

    async def territory_open(self, pool: str, moment: datetime) -> bool:
        return await self._territory_until_ms(pool) > to_ms(moment)

    async def _territory_until_ms(self, pool: str) -> int:
        until = await self.redis.hget(self.keys.pool_mode(pool), "territory_until_ms")
        return int(until or 0)

    async def open_leads(self, rep_id: str) -> list[str]:
        members = await self.redis.smembers(self.keys.rep_open(rep_id))
        return sorted(str(m) for m in members)

    async def _call(
        self,
        script: AsyncScript,
        config: LeadpoolConfig,
        lead_id: str,
        moment: datetime,
        command_id: str,
        args: list[Any],
        extra_keys: list[str] | None = None,
    ) -> Result:
        raw = await script(
            keys=[self.keys.lead(lead_id), *(extra_keys or [])],
            args=[
                self.keys.prefix,
                to_ms(moment),
                config.version,
                command_id,
                *args,
            ],
        )
        return parse_result(raw)


def parse_result(raw: Any) -> Result:
    answer: dict[str, Any] = json.loads(raw)
    outcome = str(answer.pop("outcome"))
    if outcome == "refused":
        return Rejected(str(answer["rule"]))
    return Done(outcome, str(answer.pop("stream_id", "")), answer)
