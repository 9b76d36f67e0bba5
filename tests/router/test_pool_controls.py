"""Audits and moved score thresholds: routing under them, and their record."""

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import redis.asyncio as aioredis

from schemas.commands import Action, HygieneCommand
from schemas.config.routing import PoolIntake
from schemas.events import PooledLead
from services.common.clock import VirtualClock
from services.router.controls import IntakeControls
from services.router.decide import decide
from services.router.pool_controls import PoolControls
from tests.infra import unique_name
from tests.router.support import NOW, intake, make_config, record

CONFIG = make_config()
RULES = PoolIntake()


def placed(controls: IntakeControls, **fields: object) -> PooledLead:
    outcome = decide(record(intake(**fields)), CONFIG, controls)
    assert isinstance(outcome, PooledLead), outcome
    return outcome


def shifted(**by_pool: int) -> IntakeControls:
    return IntakeControls(score_shift=by_pool)


def test_an_audited_pool_is_passed_over_for_the_next_rule_or_the_default() -> None:
    audited = IntakeControls(audited_pools=frozenset({"hot"}))
    demo = placed(audited, source="demo_request", score=85, status="MQL")
    plain = placed(audited, source="demo_request", score=85)

    assert (demo.pool, demo.rule) == ("warm", "warm-mql")
    assert "rule 'hot-demo-request' skipped: 'hot' in audit" in demo.reason
    assert (plain.pool, plain.rule) == ("na", None)
    assert "'hot' in audit" in plain.reason


def test_a_raised_threshold_moves_lower_score_bounds_only() -> None:
    demo = {"source": "demo_request", "score": 85}
    assert placed(shifted(hot=5), **demo).pool == "hot"
    assert placed(shifted(hot=6), **demo).pool == "na"
    # `score < 50` is no qualification bar: a raised bar leaves it alone.
    assert placed(shifted(cold=20), score=49).pool == "cold"
    assert placed(shifted(cold=20), score=50).pool == "na"


def test_a_lowered_threshold_lets_lower_scores_in() -> None:
    assert placed(shifted(hot=-10), source="demo_request", score=70).pool == "hot"
    assert placed(shifted(), source="demo_request", score=70).pool == "na"


@pytest.fixture
async def controls(redis_url: str) -> AsyncIterator[tuple[PoolControls, VirtualClock]]:
    client = aioredis.from_url(redis_url, decode_responses=True, protocol=2)
    key = f"lp:{unique_name('pools')}:router:pools"
    clock = VirtualClock(NOW)
    yield PoolControls(client, key, clock), clock
    keys = [k async for k in client.scan_iter(f"{key}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


def command(action: Action, pool: str, **fields: object) -> HygieneCommand:
    return HygieneCommand.model_validate(
        {
            "command_id": unique_name("cmd"),
            "action": action,
            "policy": "sizing.depletion",
            "issued_at": NOW,
            "config_version": "test.1",
            "pool": pool,
            **fields,
        }
    )


@pytest.mark.redis
async def test_shifts_add_up_within_their_bound_and_replays_count_once(
    controls: tuple[PoolControls, VirtualClock],
) -> None:
    pools, _clock = controls
    raise_10 = command(Action.ADJUST_INTAKE, "hot", threshold_delta=10)
    for each in (raise_10, raise_10):
        assert await pools.apply(each, RULES)
    assert pools.score_shift(RULES) == {"hot": 10}

    for _ in range(5):
        await pools.apply(
            command(Action.ADJUST_INTAKE, "hot", threshold_delta=10), RULES
        )
    await pools.apply(command(Action.ADJUST_INTAKE, "cold", threshold_delta=-5), RULES)
    assert pools.score_shift(RULES) == {"hot": RULES.max_score_shift, "cold": -5}


@pytest.mark.redis
async def test_an_audit_ends_after_its_hours_and_a_season_shift_at_its_end(
    controls: tuple[PoolControls, VirtualClock],
) -> None:
    pools, clock = controls
    await pools.apply(command(Action.AUDIT, "warm"), RULES)
    until = NOW + timedelta(days=3)
    await pools.apply(
        command(Action.ADJUST_INTAKE, "warm", threshold_delta=-5, until=until), RULES
    )
    assert not await pools.apply(command(Action.FLAG, "warm"), RULES)

    clock.set(NOW + timedelta(hours=RULES.audit_pause_hours) - timedelta(seconds=1))
    assert pools.audited() == {"warm"}
    clock.set(NOW + timedelta(hours=RULES.audit_pause_hours))
    assert pools.audited() == frozenset()
    assert pools.score_shift(RULES) == {"warm": -5}
    clock.set(until)
    assert pools.score_shift(RULES) == {}
