"""Replaying the published events rebuilds the same working view."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from schemas.events import (
    LeadEvent,
    Outcome,
    PooledLead,
    ReturnReason,
    lead_event_adapter,
)
from services.claims.outbox import to_event
from services.claims.rebuild import Rebuild
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, config, pooled, rep
from tests.infra import unique_name

MINUTE = timedelta(minutes=1)


async def snapshot(parts: Parts) -> dict[str, object]:
    """Every key of the view but the outbox, its bookkeeping and the lead
    histories (which the relay writes as it publishes)."""
    view: dict[str, object] = {}
    async for key in parts.redis.scan_iter(f"{parts.keys.prefix}:*", count=10_000):
        if key.endswith(":history"):
            continue
        kind = await parts.redis.type(key)
        if kind == "hash":
            view[key] = await parts.redis.hgetall(key)
        elif kind == "set":
            view[key] = await parts.redis.smembers(key)
        elif kind == "zset":
            view[key] = await parts.redis.zrange(key, 0, -1, withscores=True)
    return view


async def work_some_leads(parts: Parts) -> tuple[list[PooledLead], list[LeadEvent]]:
    """Four leads claimed by ann, one contacted and won, one given back."""
    ann = rep("ann")
    cfg = config([ann])
    leads = [pooled(f"l{i}", pool="cold", score=40) for i in range(4)]
    for i, lead in enumerate(leads):
        await parts.inventory.stock(lead)
        await parts.claims.claim(cfg, ann, MONDAY_10 + MINUTE * i, lead_id=f"l{i}")
    await parts.lifecycle.contact(cfg, "l0", "ann", MONDAY_10 + MINUTE * 5)
    await parts.lifecycle.record_outcome(
        cfg, "l0", "ann", MONDAY_10, Outcome.CLOSED_WON
    )
    back = ReturnReason.REP_RETURNED
    await parts.lifecycle.give_back(cfg, "l1", MONDAY_10, reason=back, rep_id="ann")
    entries = await parts.redis.xrange(parts.keys.outbox)
    events = [lead_event_adapter.validate_json(to_event(i, f)) for i, f in entries]
    return leads, events


async def test_replayed_events_restore_leads_reps_and_cooldowns(parts: Parts) -> None:
    cfg = config([rep("ann")])
    leads, events = await work_some_leads(parts)
    before = await snapshot(parts)

    await parts.redis.delete(*before)
    rebuild = Rebuild(parts.redis, parts.keys, parts.inventory, "unused:9092")
    for lead in leads:
        await parts.inventory.stock(lead, publish=False)
    for event in events:
        await rebuild.apply(cfg, event)

    after = await snapshot(parts)
    assert after.keys() == before.keys()
    history = await parts.inventory.history("l0")
    assert [e["type"] for e in history] == [
        "stocked",
        "claimed",
        "contacted",
        "outcome",
    ]
    state = parts.keys.rep_state("ann")
    assert after[state] == before[state]
    assert after[parts.keys.rep_open("ann")] == before[parts.keys.rep_open("ann")]
    for lead_id in ("l0", "l1", "l2"):
        key = parts.keys.lead(lead_id)
        assert after[key]["state"] == before[key]["state"]  # type: ignore[index]


async def test_a_rebuild_started_again_counts_each_claim_once(parts: Parts) -> None:
    cfg = config([rep("ann")])
    leads, events = await work_some_leads(parts)
    state = parts.keys.rep_state("ann")
    before = await parts.redis.hgetall(state)
    view = await snapshot(parts)
    await parts.redis.delete(*view)
    rebuild = Rebuild(parts.redis, parts.keys, parts.inventory, "unused:9092")
    for lead in leads:
        await parts.inventory.stock(lead, publish=False)
    for event in events[: len(events) // 2]:
        await rebuild.apply(cfg, event)  # cut short here, then from the start

    for event in events:
        await rebuild.apply(cfg, event)

    after = await parts.redis.hgetall(state)
    # Three claims (the fourth met the cooldown) and one won deal.
    assert after["claims_total"] == before["claims_total"] == "3"
    assert after["conversions"] == before["conversions"] == "1"


async def test_two_workers_starting_on_an_empty_view_rebuild_it_once(
    parts: Parts, kafka_bootstrap: str
) -> None:
    cfg = config([rep("ann")])
    topics = [unique_name("pool"), unique_name("events")]
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    await admin.create_topics([NewTopic(t, cfg.topics.partitions, 1) for t in topics])
    await admin.close()
    workers = [
        Rebuild(parts.redis, parts.keys, parts.inventory, kafka_bootstrap)
        for _ in range(2)
    ]

    results = await asyncio.gather(
        *(w.run_if_needed(cfg, topics[:1], topics[1]) for w in workers)
    )

    assert sum(result is not None for result in results) == 1
    assert all(w.finished.is_set() for w in workers)
    assert await parts.redis.get(parts.keys.marker) == "ready"
