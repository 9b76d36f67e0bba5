"""Time-based access windows (seed: Access Management), on virtual time."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from schemas.config.access import Absence, Team
from services.claims.roundrobin import eligible_reps
from services.claims.windows import Closed, Open, access_window
from tests.claims.support import MONDAY_10, config, pools, rep

EVENING = MONDAY_10.replace(hour=19)
SATURDAY = MONDAY_10 + timedelta(days=5)


def releasing(**windows: Any) -> Any:
    hot = {"release_windows": True}
    return {"pools": pools(hot=hot), "windows": {"timezone": "UTC", **windows}}


def test_business_hours_admit_every_eligible_rep() -> None:
    ann = rep("ann")
    cfg = config([ann])

    assert access_window(cfg, ann, cfg.pool("cold"), MONDAY_10) == Open()
    assert isinstance(access_window(cfg, ann, cfg.pool("cold"), EVENING), Closed)


def test_after_hours_only_the_on_call_rotation_claims() -> None:
    ann, otto = rep("ann"), rep("otto", on_call=True)
    cfg = config([ann, otto])

    closed = access_window(cfg, ann, cfg.pool("cold"), EVENING)
    assert isinstance(closed, Closed)
    assert closed.rule == "window:after_hours:on_call"
    assert closed.opens_at == MONDAY_10.replace(hour=8) + timedelta(days=1)
    assert access_window(cfg, otto, cfg.pool("cold"), EVENING) == Open()


def test_weekends_only_the_duty_team_claims() -> None:
    duty = Team(name="duty", duty=True, pools=["cold"])
    ann, dina = rep("ann"), rep("dina", team="duty")
    cfg = config([ann, dina], teams=[duty])

    closed = access_window(cfg, ann, cfg.pool("cold"), SATURDAY)
    assert isinstance(closed, Closed) and closed.rule == "window:weekend:duty_team"
    assert access_window(cfg, dina, cfg.pool("cold"), SATURDAY) == Open()


def test_weekends_can_be_closed_to_everyone() -> None:
    duty = Team(name="duty", duty=True, pools=["cold"])
    dina = rep("dina", team="duty")
    hours = {"weekends": "closed"}
    cfg = config([dina], teams=[duty], windows={"business_hours": hours})

    closed = access_window(cfg, dina, cfg.pool("cold"), SATURDAY)
    assert isinstance(closed, Closed) and closed.rule == "window:weekend:closed"


def test_a_release_window_lasts_fifteen_minutes_from_the_release() -> None:
    ann = rep("ann", tier=2, quota_attainment=1.0)
    cfg = config([ann], **releasing())
    hot = cfg.pool("hot")

    assert access_window(cfg, ann, hot, MONDAY_10 + timedelta(minutes=5)) == Open(
        release_at=MONDAY_10
    )
    closed = access_window(cfg, ann, hot, MONDAY_10 + timedelta(minutes=20))
    assert isinstance(closed, Closed) and closed.rule == "window:release"
    assert closed.opens_at == MONDAY_10 + timedelta(hours=2)


def test_top_performers_get_fifteen_minutes_early_access() -> None:
    top, standard = rep("top", tier=1), rep("std", tier=2)
    cfg = config([top, standard], **releasing())
    early = MONDAY_10 - timedelta(minutes=10)

    assert access_window(cfg, top, cfg.pool("hot"), early) == Open(release_at=MONDAY_10)
    assert isinstance(access_window(cfg, standard, cfg.pool("hot"), early), Closed)


def test_below_quota_reps_get_access_thirty_minutes_after_release() -> None:
    low = rep("low", tier=2, quota_attainment=0.6)
    cfg = config([low], **releasing())
    hot = cfg.pool("hot")

    closed = access_window(cfg, low, hot, MONDAY_10 + timedelta(minutes=5))
    assert isinstance(closed, Closed)
    assert closed.opens_at == MONDAY_10 + timedelta(minutes=30)
    late = MONDAY_10 + timedelta(minutes=35)
    assert access_window(cfg, low, hot, late) == Open(release_at=MONDAY_10)


def test_a_rotation_slot_is_exclusive_to_its_rep() -> None:
    team = Team(name="east", pools=["cold"])
    ann, bob = rep("ann", team="east"), rep("bob", team="east")
    rotation = {"enabled": True, "first_slot": "10:00", "slot_minutes": 30}
    cfg = config([ann, bob], teams=[team], windows={"rotation": rotation})
    cold, in_bobs_slot = cfg.pool("cold"), MONDAY_10 + timedelta(minutes=40)

    assert access_window(cfg, ann, cold, MONDAY_10) == Open()
    closed = access_window(cfg, bob, cold, MONDAY_10)
    assert isinstance(closed, Closed) and closed.rule == "window:rotation_slot:ann"
    assert closed.opens_at == MONDAY_10 + timedelta(minutes=30)
    assert isinstance(access_window(cfg, ann, cold, in_bobs_slot), Closed)
    assert access_window(cfg, ann, cold, MONDAY_10 + timedelta(hours=1)) == Open()


def test_holidays_and_absences_close_claiming() -> None:
    away = Absence(start=date(2026, 12, 7), end=date(2026, 12, 8))
    ann, bob = rep("ann"), rep("bob", absences=[away])
    cfg = config([ann, bob])
    holiday = config([ann], windows={"timezone": "UTC", "holidays": ["2026-12-07"]})

    closed = access_window(cfg, bob, cfg.pool("cold"), MONDAY_10)
    assert isinstance(closed, Closed) and closed.rule == "availability:absent"
    assert closed.opens_at == MONDAY_10.replace(hour=0) + timedelta(days=2)
    assert access_window(cfg, ann, cfg.pool("cold"), MONDAY_10) == Open()
    held = access_window(holiday, ann, holiday.pool("cold"), MONDAY_10)
    assert isinstance(held, Closed) and held.rule == "window:holiday"


def test_a_rep_on_shift_claims_and_off_shift_waits_for_the_next_one() -> None:
    mornings = {"days": ["mon", "tue"], "start": "08:00", "end": "12:00"}
    ann = rep("ann", shifts=[mornings])
    cfg = config([ann, rep("bob")])
    afternoon = MONDAY_10.replace(hour=13)

    assert access_window(cfg, ann, cfg.pool("cold"), MONDAY_10) == Open()
    closed = access_window(cfg, ann, cfg.pool("cold"), afternoon)
    assert isinstance(closed, Closed) and closed.rule == "availability:off_shift"
    assert closed.opens_at == MONDAY_10.replace(hour=8) + timedelta(days=1)
    assert [u.id for u in eligible_reps(cfg, "cold", afternoon)] == ["bob"]
    assert [u.id for u in eligible_reps(cfg, "cold", MONDAY_10)] == ["ann", "bob"]
