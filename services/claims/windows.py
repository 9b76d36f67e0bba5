"""Time-based access: business hours, off-hours coverage and release windows.

Pure functions of configuration, a user and a moment; the claim step gets
their answer as the set of pools open to the rep at that moment.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from schemas.config import LeadpoolConfig
from schemas.config.access import User
from schemas.config.pools import Pool
from schemas.config.windows import OffHours, Weekday

_WEEKDAYS = list(Weekday)


@dataclass(frozen=True)
class Closed:
    """The window that keeps a pool closed, and when it opens (UTC)."""

    rule: str
    opens_at: datetime | None


def local(config: LeadpoolConfig, moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(config.windows.timezone))


def is_business_time(config: LeadpoolConfig, moment: datetime) -> bool:
    hours = config.windows.business_hours
    here = local(config, moment)
    weekday = _WEEKDAYS[here.weekday()]
    return (
        weekday in hours.days
        and here.date().isoformat() not in config.windows.holidays
        and hours.start <= here.time() < hours.end
    )


def window_closed(
    config: LeadpoolConfig, user: User, pool: Pool, moment: datetime
) -> Closed | None:
    """None when the user may claim from the pool now; else why not."""
    if not is_business_time(config, moment):
        closed = _off_hours_refusal(config, user, moment)
        if closed is not None:
            return closed
    if pool.release_windows:
        return _release_refusal(config, user, moment)
    return None


def _off_hours_refusal(
    config: LeadpoolConfig, user: User, moment: datetime
) -> Closed | None:
    hours = config.windows.business_hours
    here = local(config, moment)
    weekend = _WEEKDAYS[here.weekday()] not in hours.days
    coverage = hours.weekends if weekend else hours.after_hours
    if coverage is OffHours.ON_CALL and user.on_call:
        return None
    if coverage is OffHours.DUTY_TEAM and _on_duty_team(config, user):
        return None
    rule = "weekend" if weekend else "after_hours"
    return Closed(
        f"window:{rule}:{coverage.value}", next_business_start(config, moment)
    )


def _on_duty_team(config: LeadpoolConfig, user: User) -> bool:
    return any(team.duty and team.name == user.team for team in config.teams)


def next_business_start(config: LeadpoolConfig, moment: datetime) -> datetime:
    hours = config.windows.business_hours
    here = local(config, moment)
    for days_ahead in range(0, 15):
        day = here.date() + timedelta(days=days_ahead)
        start = _at(config, day, hours.start)
        if start > moment and is_business_time(config, start):
            return start
    raise ValueError("windows.business_hours: no business day in two weeks")


def _at(config: LeadpoolConfig, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(config.windows.timezone))


def _release_refusal(
    config: LeadpoolConfig, user: User, moment: datetime
) -> Closed | None:
    """Claims open for a while after each scheduled release.

    Top-tier reps get in early, reps below quota later; both still within
    the same release. Outside every release window the pool is closed.
    """
    releases = config.windows.releases
    priority = config.windows.priority
    offset = timedelta(0)
    if priority.enabled and user.tier == 1:
        offset = -timedelta(minutes=priority.top_tier_early_minutes)
    here = local(config, moment)
    length = timedelta(minutes=releases.claim_minutes)

    upcoming: list[datetime] = []
    for days_ahead in (0, 1):
        day = here.date() + timedelta(days=days_ahead)
        for release in releases.times:
            opens = _at(config, day, release) + offset
            if opens <= moment < opens + length - offset:
                return None
            if opens > moment:
                upcoming.append(opens)
    return Closed("window:release", min(upcoming) if upcoming else None)
