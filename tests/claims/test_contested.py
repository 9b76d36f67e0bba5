"""500 reps race for 50 leads at the same instant, on real Redis."""

from __future__ import annotations

import asyncio
from collections import Counter

from schemas.config.access import User
from services.claims.claiming import Claimed, Refused
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, config, pooled, rep

REPS, LEADS = 500, 50


async def test_exactly_one_rep_wins_each_lead_and_counters_agree(parts: Parts) -> None:
    reps = [rep(f"rep{i:03d}") for i in range(REPS)]
    cfg = config(reps)
    for i in range(LEADS):
        await parts.inventory.stock(pooled(f"lead{i:02d}", pool="cold", score=40))

    outcomes = await asyncio.gather(
        *(parts.claims.claim(cfg, r, MONDAY_10, pool="cold") for r in reps)
    )

    won = [o for o in outcomes if isinstance(o, Claimed)]
    assert len(won) == LEADS
    assert len({o.lead_id for o in won}) == LEADS
    assert {o.rule for o in outcomes if isinstance(o, Refused)} == {"pool_empty"}
    entries = await parts.redis.xrange(parts.keys.outbox)
    claimed = {f["lead_id"]: f["body"] for _, f in entries if f["type"] == "claimed"}
    assert Counter(f["type"] for _, f in entries)["claimed"] == LEADS
    for outcome in won:
        assert f'"rep_id":"{outcome.rep_id}"' in claimed[outcome.lead_id]
        assert await parts.lifecycle.open_leads(outcome.rep_id) == [outcome.lead_id]
    assert await parts.inventory.depth("cold") == 0
    assert await counters_by_rep(parts, reps) == Counter(o.rep_id for o in won)


async def counters_by_rep(parts: Parts, reps: list[User]) -> Counter[str]:
    """Each rep's claims as every counter records them; all must agree."""
    async with parts.redis.pipeline(transaction=False) as pipe:
        for r in reps:
            log = parts.keys.rep_claims(r.id)
            pipe.zcard(log)
            pipe.zcard(f"{log}:cold")
            pipe.hget(parts.keys.rep_state(r.id), "claims_total")
            pipe.scard(parts.keys.rep_open(r.id))
        answers = await pipe.execute()

    counts: Counter[str] = Counter()
    for index, r in enumerate(reps):
        day, pool, total, open_leads = answers[4 * index : 4 * index + 4]
        assert day == pool == int(total or 0) == open_leads, r.id
        if day:
            counts[r.id] = day
    return counts
