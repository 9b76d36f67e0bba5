"""Business-hours deadlines: only open hours count toward an SLA."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from schemas.config import LeadpoolConfig
from services.hygiene.business_time import BusinessCalendar

CALENDAR = BusinessCalendar.from_config(LeadpoolConfig(version="t"))
TUESDAY = datetime(2026, 3, 3, tzinfo=UTC)


def at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute)


def test_a_claim_at_5_50_pm_is_not_late_at_8_05_am() -> None:
    deadline = CALENDAR.add(at(TUESDAY, 17, 50), timedelta(hours=2))
    assert deadline > at(TUESDAY + timedelta(days=1), 8, 5)
    assert deadline == at(TUESDAY + timedelta(days=1), 9, 50)


def test_inside_business_hours_the_clock_runs_normally() -> None:
    assert CALENDAR.add(at(TUESDAY, 9), timedelta(hours=2)) == at(TUESDAY, 11)


def test_a_friday_evening_claim_is_due_on_monday() -> None:
    friday = TUESDAY + timedelta(days=3)
    deadline = CALENDAR.add(at(friday, 17, 30), timedelta(hours=2))
    assert deadline == at(friday + timedelta(days=3), 9, 30)


def test_a_holiday_counts_no_hours() -> None:
    config = LeadpoolConfig(version="t", windows={"holidays": ["2026-03-04"]})
    calendar = BusinessCalendar.from_config(config)
    deadline = calendar.add(at(TUESDAY, 17), timedelta(hours=2))
    assert deadline == at(TUESDAY + timedelta(days=2), 9)


def test_a_negative_offset_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match="business"):
        CALENDAR.add(TUESDAY, timedelta(minutes=-1))
