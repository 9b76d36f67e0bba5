"""The dedupe window in Redis: which lead each identity belongs to.

Redis, not a Faust table: a lead matches on any of three identities
(external id, email, phone), which no single partition key can co-locate,
and one atomic script per batch (or merge) makes two workers agree without a
repartition topic; Redis persists it (AOF) across worker restarts.

Keys, readable in redis-cli (prefix `lp:<namespace>:router`):
    <prefix>:id:<kind>:<digest>   lead id owning that identity (TTL: window)
    <prefix>:lead:<lead_id>       hash: placement (PooledLead JSON), merges,
                                  first (the position that created the lead),
                                  seen (router clock ms of its last intake)
    <prefix>:msg:<position>       hash: a merge's outcome, by intake position
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis

from schemas.config.routing import Dedupe
from schemas.events import PooledLead
from services.common.clock import to_ms
from services.router.dedupe import Identity
from services.router.prepare import Admission

_LUA = Path(__file__).parent / "lua"
_MS_PER_DAY = 86_400_000
_MS_PER_HOUR = 3_600_000


@dataclass(frozen=True)
class Replay:
    kind: str  # pooled or merged: the outcome the first copy had
    lead_id: str
    placement: PooledLead | None
    merged_event: str | None


@dataclass(frozen=True)
class Known:
    identity: Identity
    placement: PooledLead


@dataclass(frozen=True)
class Admitted:
    pass


@dataclass(frozen=True)
class Conflict:
    current: PooledLead | None


AdmitResult = Admitted | Known | Replay
MergeResult = Admitted | Conflict | Replay


class DedupeWindow:
    def __init__(self, redis: "aioredis.Redis", prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix
        self._admit = redis.register_script((_LUA / "admit.lua").read_text())
        self._merge = redis.register_script((_LUA / "merge.lua").read_text())

    def _id_key(self, identity: Identity) -> str:
        return f"{self._prefix}:id:{identity.kind}:{identity.digest}"

    def _lead_key(self, lead_id: str) -> str:
        return f"{self._prefix}:lead:{lead_id}"

    def _msg_key(self, position: str) -> str:
        return f"{self._prefix}:msg:{position}"

    async def admit_many(
        self, admissions: list[Admission], policy: Dedupe, now: datetime
    ) -> list[AdmitResult]:
        """One script call for a batch; a later copy in it sees the earlier.
        A lead whose last intake is a window or more before `now` is gone."""
        if not admissions:
            return []

        window_ms, _ = _ttls(policy)
        keys: list[str] = []
        args: list[str | int] = [window_ms, to_ms(now), f"{self._prefix}:lead:"]
        for item in admissions:
            lead_id = item.lead_id
            keys += [self._msg_key(item.position), self._lead_key(lead_id)]
            keys += [self._id_key(i) for i in item.identities]
            args += [len(item.identities), lead_id, item.body]
        replies = await self._admit(keys=keys, args=args)
        return [
            _admit_result(reply, item)
            for reply, item in zip(replies, admissions, strict=True)
        ]

    async def merge(
        self,
        item: Admission,
        expected: PooledLead,
        merged: PooledLead,
        merged_event: str,
        policy: Dedupe,
        now: datetime,
    ) -> MergeResult:
        window_ms, replay_ms = _ttls(policy)
        lead_id = expected.lead.lead_id
        reply = await self._merge(
            keys=[
                self._msg_key(item.position),
                self._lead_key(lead_id),
                *(self._id_key(i) for i in item.identities),
            ],
            args=[
                window_ms,
                replay_ms,
                lead_id,
                expected.model_dump_json(),
                merged.model_dump_json(),
                merged_event,
                f"{self._prefix}:lead:",
                to_ms(now),
            ],
        )
        if reply[0] == "merged":
            return Admitted()
        if reply[0] == "conflict":
            return Conflict(_placement(reply[1] if len(reply) > 1 else None))
        return _replay(reply)

    async def owners(self, identities: list[list[Identity]]) -> list[str | None]:
        """The lead each list's first known identity belongs to, if any."""
        flat = [self._id_key(i) for ids in identities for i in ids]
        found: dict[str, Any] = (
            dict(zip(flat, await self._redis.mget(flat), strict=True)) if flat else {}
        )
        return [
            next((found[self._id_key(i)] for i in ids if found[self._id_key(i)]), None)
            for ids in identities
        ]

    async def placement(self, lead_id: str) -> tuple[PooledLead, int] | None:
        key = self._lead_key(lead_id)
        stored: list[Any] = await self._redis.hmget(key, "placement", "merges")
        placement = _placement(stored[0])
        if placement is None:
            return None
        return placement, int(stored[1] or 0)


def _ttls(policy: Dedupe) -> tuple[int, int]:
    return (
        int(policy.window_days * _MS_PER_DAY),
        int(policy.replay_memory_hours * _MS_PER_HOUR),
    )


def _admit_result(reply: list[Any], item: Admission) -> AdmitResult:
    if reply[0] == "new":
        return Admitted()
    if reply[0] == "existing":
        placement = _placement(reply[3])
        assert placement is not None  # the script returns only a stored one
        return Known(item.identities[int(reply[1]) - 1], placement)
    return _replay(reply)


def _replay(reply: list[Any]) -> Replay:
    # Lua drops trailing nils from tables: pad to the documented shape.
    kind, lead_id, current, event = [*reply[1:], None, None][:4]
    return Replay(str(kind), str(lead_id), _placement(current), event)


def _placement(raw: str | None) -> PooledLead | None:
    return None if raw is None else PooledLead.model_validate_json(raw)
