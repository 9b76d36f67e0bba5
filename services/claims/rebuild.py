"""Rebuilding the Redis working view from Kafka after Redis was emptied.

A marker key is written once the view is complete. At start a missing
marker (a first start, or an emptied Redis) or one left at `rebuilding`
(a crash mid-way) triggers a replay: every pool topic from the beginning
(stocking without publishing, the events exist already), then
`leads.events` from the beginning, applied to the view.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, cast

import redis.asyncio as aioredis
from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import ValidationError

from schemas.config import LeadpoolConfig
from schemas.events import (
    LeadClaimed,
    LeadContacted,
    LeadEscalated,
    LeadEvent,
    LeadOutcome,
    LeadReinstated,
    LeadRemoved,
    LeadReturned,
    LeadStocked,
    LeadTransferDecided,
    LeadTransferred,
    LeadTransferRequested,
    Outcome,
    PooledLead,
    lead_event_adapter,
)
from services.claims.inventory import Inventory
from services.claims.keys import Keys
from services.common.clock import to_ms

log = logging.getLogger(__name__)

READY = "ready"
REBUILDING = "rebuilding"
REBUILD_LOCK_S = 900  # longer than any rebuild; a crashed rebuilder's lock lapses
READY_POLL_S = 0.5  # how often a waiting worker looks for the finished view


@dataclass(frozen=True)
class Replayed:
    leads: int
    events: int


class Rebuild:
    def __init__(
        self,
        redis: "aioredis.Redis",
        keys: Keys,
        inventory: Inventory,
        bootstrap_servers: str,
    ) -> None:
        self.redis = redis
        self.keys = keys
        self.inventory = inventory
        self.bootstrap_servers = bootstrap_servers
        # Set once the view is complete: consumers and the API wait for it.
        self.finished = asyncio.Event()

    async def run_if_needed(
        self, config: LeadpoolConfig, pool_topics: list[str], events_topic: str
    ) -> Replayed | None:
        marker = await self.redis.get(self.keys.marker)
        if marker == READY:
            self.finished.set()
            return None
        # One worker rebuilds; the others wait for it rather than replay the
        # same events into the same view a second time.
        locked = await self.redis.set(
            self.keys.rebuild_lock, "1", nx=True, ex=REBUILD_LOCK_S
        )
        if not locked:
            log.info("another claims worker is rebuilding the view; waiting")
            await self._wait_ready()
            self.finished.set()
            return None

        log.warning(
            "claims view missing in Redis (marker %s): rebuilding from Kafka",
            marker or "absent",
        )
        try:
            await self.redis.set(self.keys.marker, REBUILDING)
            replayed = await self.replay(config, pool_topics, events_topic)
            await self.redis.set(self.keys.marker, READY)
        finally:
            await self.redis.delete(self.keys.rebuild_lock)
        self.finished.set()
        log.warning(
            "claims view rebuilt from Kafka: %d leads, %d events",
            replayed.leads,
            replayed.events,
        )
        return replayed

    async def replay(
        self, config: LeadpoolConfig, pool_topics: list[str], events_topic: str
    ) -> Replayed:
        partitions = config.topics.partitions
        # TODO: events are held in memory between the two passes; stream
        # them twice instead once a deployment's log outgrows memory.
        events: list[LeadEvent] = []
        async for raw in self._records([events_topic], partitions):
            try:
                events.append(lead_event_adapter.validate_json(raw))
            except ValidationError:
                continue
        published = {e.lead_id for e in events if isinstance(e, LeadStocked)}

        # A lead routed while the view was missing has no stocked event yet.
        leads = 0
        async for raw in self._records(pool_topics, partitions):
            try:
                pooled = PooledLead.model_validate_json(raw)
            except ValidationError:
                continue  # refused and logged when first consumed
            fresh = pooled.lead.lead_id not in published
            leads += bool(await self.inventory.stock(pooled, publish=fresh))
        for event in events:
            await self.apply(config, event)
        return Replayed(leads, len(events))

    async def view_present(self) -> bool:
        """False once Redis lost the view (its marker is gone)."""
        return bool(await self.redis.exists(self.keys.marker))

    async def _wait_ready(self) -> None:
        # Another process finishes the view: only Redis can tell, so poll it.
        while True:
            if await self.redis.get(self.keys.marker) == READY:
                return
            await asyncio.sleep(READY_POLL_S)

    async def apply(self, config: LeadpoolConfig, event: LeadEvent) -> None:
        """Replay one event's effect on the view; publishes nothing."""
        await self.redis.hset(
            self.keys.lead_history(event.lead_id),
            event.event_id,
            lead_event_adapter.dump_json(event),
        )
        lead_key = self.keys.lead(event.lead_id)
        at = to_ms(event.occurred_at)
        match event:
            case LeadClaimed():
                await self._claimed(config, event, at)
            case LeadReturned():
                cooldown = int(config.quotas.return_cooldown_hours * 3_600_000)
                await self.redis.hset(
                    lead_key,
                    mapping={
                        "state": "available",
                        "rep": "",
                        "returned_by": event.rep_id,
                        "returned_until_ms": at + cooldown,
                    },
                )
                await self.redis.srem(self.keys.rep_open(event.rep_id), event.lead_id)
                await self._make_available(event.lead_id, event.pool)
            case LeadContacted():
                await self.redis.hset(
                    lead_key, mapping={"state": "contacted", "contacted_ms": at}
                )
            case LeadOutcome():
                state = (
                    "opportunity" if event.outcome is Outcome.OPPORTUNITY else "closed"
                )
                converted = event.outcome is not Outcome.CLOSED_LOST
                if converted and not await self.redis.hget(lead_key, "outcome"):
                    await self.redis.hincrby(
                        self.keys.rep_state(event.rep_id), "conversions", 1
                    )
                await self.redis.hset(
                    lead_key, mapping={"state": state, "outcome": event.outcome.value}
                )
                await self.redis.srem(self.keys.rep_open(event.rep_id), event.lead_id)
            case LeadEscalated():
                await self.redis.hset(lead_key, "priority", event.priority)
                if await self.redis.hget(lead_key, "state") == "available":
                    await self._make_available(event.lead_id, event.pool)
            case LeadTransferred():
                await self.redis.zrem(
                    self.keys.available(event.from_pool), event.lead_id
                )
                await self.redis.hset(lead_key, "pool", event.pool)
                if await self.redis.hget(lead_key, "state") == "available":
                    await self._make_available(event.lead_id, event.pool)
            case LeadRemoved():
                await self.redis.hset(
                    lead_key,
                    mapping={"state": "removed", "destination": event.destination},
                )
                await self.redis.zrem(self.keys.available(event.pool), event.lead_id)
            case LeadReinstated():
                await self.redis.hset(
                    lead_key, mapping={"state": "available", "pool": event.pool}
                )
                await self.redis.hdel(lead_key, "destination")
                await self._make_available(event.lead_id, event.pool)
            case LeadTransferRequested() | LeadTransferDecided():
                await self._transfer(event, at)

    async def _claimed(
        self, config: LeadpoolConfig, event: LeadClaimed, at: int
    ) -> None:
        lead_key = self.keys.lead(event.lead_id)
        member = f"{event.lead_id}@{at}"
        log_key = self.keys.rep_claims(event.rep_id)
        quality = (
            config.pool(event.pool).quality.value
            if event.pool in config.pool_names
            else "other"
        )
        await self.redis.hset(
            lead_key,
            mapping={
                "state": "claimed",
                "rep": event.rep_id,
                "claimed_ms": at,
                "auto": int(event.auto_assigned),
            },
        )
        await self.redis.zrem(self.keys.available(event.pool), event.lead_id)
        await self.redis.sadd(self.keys.rep_open(event.rep_id), event.lead_id)
        if not event.auto_assigned or config.quotas.auto_assigned_count:
            await self.redis.zadd(log_key, {member: at})
        first_time = await self.redis.zadd(f"{log_key}:{event.pool}", {member: at})
        await self.redis.zadd(f"{log_key}:q:{quality}", {member: at})
        if first_time:
            # Counted once per claim, however often a rebuild replays it.
            await self.redis.hincrby(
                self.keys.rep_state(event.rep_id), "claims_total", 1
            )
        if not event.auto_assigned:
            await self._claim_run(config, event.rep_id, at)

    async def _claim_run(self, config: LeadpoolConfig, rep_id: str, at: int) -> None:
        """The consecutive-claim run and its cooldown, as claim.lua keeps them."""
        velocity = config.quotas.velocity
        key = self.keys.rep_state(rep_id)
        run, last = await self.redis.hmget(key, ["run", "last_ms"])
        length = int(run or 0)
        if at - int(last or 0) > velocity.consecutive_gap_minutes * 60_000:
            length = 0
        length += 1
        state: dict[str, int] = {"run": length, "last_ms": at}
        if length >= velocity.consecutive_claims:
            cooldown_ms = int(velocity.cooldown_minutes * 60_000)
            state = {"run": 0, "last_ms": at, "cooldown_until_ms": at + cooldown_ms}
        await self.redis.hset(key, mapping=cast(Any, state))

    async def _make_available(self, lead_id: str, pool: str) -> None:
        priority = await self.redis.hget(self.keys.lead(lead_id), "priority")
        await self.redis.zadd(
            self.keys.available(pool), {lead_id: float(priority or 0)}
        )

    async def _transfer(
        self, event: LeadTransferRequested | LeadTransferDecided, at: int
    ) -> None:
        key = self.keys.transfer(event.transfer_id)
        if isinstance(event, LeadTransferRequested):
            await self.redis.hset(
                key,
                mapping={
                    "transfer_id": event.transfer_id,
                    "lead_id": event.lead_id,
                    "from_pool": event.pool,
                    "to_pool": event.to_pool,
                    "requested_by": event.requested_by,
                    "reason": event.reason,
                    "status": "pending",
                    "requested_ms": at,
                },
            )
            await self.redis.zadd(self.keys.pending_transfers, {event.transfer_id: at})
            return
        status = "approved" if event.approved else "rejected"
        await self.redis.hset(
            key, mapping={"status": status, "decided_by": event.decided_by}
        )
        await self.redis.zrem(self.keys.pending_transfers, event.transfer_id)

    async def _records(
        self, topics: list[str], partitions: int
    ) -> AsyncIterator[bytes]:
        """Every record of the topics from the beginning to their end now."""
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
        )
        await consumer.start()
        try:
            # Topics are created with the configured count (ensure_topics).
            assigned = [
                TopicPartition(topic, p) for topic in topics for p in range(partitions)
            ]
            consumer.assign(assigned)
            await consumer.seek_to_beginning(*assigned)
            ends = await consumer.end_offsets(assigned)
            remaining = {tp for tp, end in ends.items() if end > 0}
            while remaining:
                batches = await consumer.getmany(*remaining, timeout_ms=500)
                for tp, records in batches.items():
                    for record in records:
                        if record.value is not None:
                            yield record.value
                    if records and records[-1].offset + 1 >= ends[tp]:
                        remaining.discard(tp)
        finally:
            await consumer.stop()
