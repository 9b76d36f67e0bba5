"""Manual transfers between pools: requested with a reason, then decided."""

import uuid
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis

from schemas.config import LeadpoolConfig
from services.claims.keys import Keys
from services.claims.lifecycle import Result, parse_result
from services.claims.scripts import Scripts
from services.common.clock import to_ms


class Transfers:
    def __init__(self, redis: "aioredis.Redis", keys: Keys, scripts: Scripts) -> None:
        self.redis = redis
        self.keys = keys
        self.scripts = scripts

    async def request(
        self,
        config: LeadpoolConfig,
        lead_id: str,
        to_pool: str,
        requested_by: str,
        reason: str,
        moment: datetime,
    ) -> tuple[str, Result]:
        transfer_id = uuid.uuid4().hex[:16]
        result = await self._call(
            config,
            lead_id,
            transfer_id,
            moment,
            ["request", transfer_id, requested_by, to_pool, reason, "", 0],
        )
        return transfer_id, result

    async def decide(
        self,
        config: LeadpoolConfig,
        transfer_id: str,
        decided_by: str,
        approved: bool,
        moment: datetime,
        note: str | None = None,
    ) -> Result:
        stored = await self.get(transfer_id)
        lead_id = stored.get("lead_id", "")
        args = ["decide", transfer_id, decided_by, "", note or "", int(approved), 0]
        return await self._call(config, lead_id, transfer_id, moment, args)

    async def get(self, transfer_id: str) -> dict[str, str]:
        stored = await self.redis.hgetall(self.keys.transfer(transfer_id))
        return {str(k): str(v) for k, v in stored.items()}

    async def pending(self, limit: int = 100) -> list[dict[str, str]]:
        ids = await self.redis.zrange(self.keys.pending_transfers, 0, limit - 1)
        return [await self.get(str(transfer_id)) for transfer_id in ids]

    async def _call(
        self,
        config: LeadpoolConfig,
        lead_id: str,
        transfer_id: str,
        moment: datetime,
        args: list[Any],
    ) -> Result:
        raw = await self.scripts.transfer(
            keys=[self.keys.lead(lead_id), self.keys.transfer(transfer_id)],
            args=[self.keys.prefix, to_ms(moment), config.version, "", lead_id, *args],
        )
        return parse_result(raw)
