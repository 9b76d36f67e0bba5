"""Round-robin auto-assignment over the persistent fairness ledger."""

from __future__ import annotations

from collections import Counter
from datetime import date

from schemas.config.access import Absence
from schemas.config.quotas import AbsencePolicy
from services.claims.claiming import Claimed
from services.claims.roundrobin import fair_order
from tests.claims.conftest import Parts
from tests.claims.support import MONDAY_10, config, pooled, rep


def test_a_new_rep_starts_at_the_lowest_count_not_zero() -> None:
    counts = {"ann": 10.0, "bob": 12.0}

    order, lifted = fair_order(
        ["ann", "bob", "cy"], counts, {"ann", "bob"}, AbsencePolicy.RESUME_AT_FLOOR
    )

    assert lifted == {"cy": 10.0}
    assert order == ["ann", "cy", "bob"]


def test_absence_policy_decides_whether_a_returner_catches_up() -> None:
    counts = {"ann": 10.0, "bob": 2.0}
    regulars = {"ann"}

    resume, _ = fair_order(
        ["ann", "bob"], counts, regulars, AbsencePolicy.RESUME_AT_FLOOR
    )
    keep, _ = fair_order(["ann", "bob"], counts, regulars, AbsencePolicy.KEEP_COUNT)

    assert resume == ["ann", "bob"]  # ties go by id: bob is not flooded
    assert keep == ["bob", "ann"]


async def test_assignments_follow_weights_and_skip_absent_reps(parts: Parts) -> None:
    away = Absence(start=date(2026, 12, 7), end=date(2026, 12, 7))
    reps = [rep("ann"), rep("bob", round_robin_weight=2), rep("cy", absences=[away])]
    cfg = config(reps)
    for i in range(6):
        await parts.inventory.stock(pooled(f"l{i}", pool="cold", score=40))

    outcomes = [
        await parts.round_robin.assign(cfg, "cold", MONDAY_10, "overflow")
        for _ in range(6)
    ]

    assert all(isinstance(o, Claimed) for o in outcomes)
    assert Counter(o.rep_id for o in outcomes if isinstance(o, Claimed)) == {
        "ann": 2,
        "bob": 4,
    }
    assert await parts.round_robin.ledger("cold") == {"ann": 2.0, "bob": 2.0}
