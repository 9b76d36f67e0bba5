"""Time-based access: business hours, coverage, rotation and release windows.

Pure functions of configuration, a user and a moment; the claim step gets
their answer as the set of pools open to the rep at that moment, and for
release pools the release whose leads the rep may take.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from schemas.config import LeadpoolConfig
from schemas.config.access import Role, User
from schemas.config.pools import Pool
from schemas.config.windows import OffHours, Weekday
from services.common.availability import absent, local, off_shift

_WEEKDAYS = list(Weekday)
_SEARCH_DAYS = 15  # how far ahead a reopening is looked for


@dataclass(frozen=True)
class Closed:
    """The window that keeps a pool closed, and when it opens (UTC)."""

    rule: str
    opens_at: datetime | None


@dataclass(frozen=True)
class Open:
    """The pool is open; for release pools, leads stocked before `release_at`."""

    release_at: datetime | None = None


def is_holiday(config: LeadpoolConfig, moment: datetime) -> bool:
    return local(config, moment).date().isoformat() in config.windows.holidays


def is_business_time(config: LeadpoolConfig, moment: datetime) -> bool:
    hours = config.windows.business_hours
    here = local(config, moment)
    weekday = _WEEKDAYS[here.weekday()]
    return (
        weekday in hours.days
        and not is_holiday(config, moment)
        and hours.start <= here.time() < hours.end
    )


def access_window(
    config: LeadpoolConfig, user: User, pool: Pool, moment: datetime
) -> Open | Closed:
    """Whether the user may claim from the pool at this moment, and why not."""
    if absent(config, user, moment):
        return Closed("availability:absent", _after_absence(config, user, moment))
    if off_shift(config, user, moment):
        return Closed("availability:off_shift", _next_shift(config, user, moment))
    if is_holiday(config, moment):
        return Closed("window:holiday", next_business_start(config, moment))
    if not is_business_time(config, moment):
        closed = _off_hours_refusal(config, user, moment)
        if closed is not None:
            return closed
    rotation = _rotation_refusal(config, user, pool, moment)
    if rotation is not None:
        return rotation
    if pool.release_windows:
        return _release_window(config, user, moment)
    return Open()


def window_closed(
    config: LeadpoolConfig, user: User, pool: Pool, moment: datetime
) -> Closed | None:
    """None when the user may claim from the pool now; else why not."""
    answer = access_window(config, user, pool, moment)
    return answer if isinstance(answer, Closed) else None


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
    for days_ahead in range(_SEARCH_DAYS):
        day = here.date() + timedelta(days=days_ahead)
        start = _at(config, day, hours.start)
        if start > moment and is_business_time(config, start):
            return start
    raise ValueError("windows.business_hours: no business day in two weeks")


def _after_absence(config: LeadpoolConfig, user: User, moment: datetime) -> datetime:
    today = local(config, moment).date()
    last = max(a.end for a in user.absences if a.start <= today <= a.end)
    return _at(config, last + timedelta(days=1), time(0, 0))


def _next_shift(config: LeadpoolConfig, user: User, moment: datetime) -> datetime:
    here = local(config, moment)
    for ahead in range(8):  # every weekly shift starts within a week
        day = here.date() + timedelta(days=ahead)
        starts = [
            _at(config, day, shift.start)
            for shift in user.shifts
            if _WEEKDAYS[day.weekday()] in shift.days
        ]
        later = [start for start in starts if start > moment]
        if later:
            return min(later)
    raise ValueError(f"shifts: user {user.id!r} has no shift on any day")


def _at(config: LeadpoolConfig, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(config.windows.timezone))


def rotation_members(config: LeadpoolConfig, team: str) -> list[str]:
    """The reps of a team in slot order: one exclusive slot each, by id."""
    return sorted(
        u.id for u in config.users if u.team == team and u.role is Role.REP and u.active
    )


def _rotation_refusal(
    config: LeadpoolConfig, user: User, pool: Pool, moment: datetime
) -> Closed | None:
    """During a teammate's exclusive slot, the team's pools are theirs alone."""
    rotation = config.windows.rotation
    if not rotation.enabled or user.team is None:
        return None
    team = next((t for t in config.teams if t.name == user.team), None)
    if team is None or pool.name not in team.pools:
        return None

    members = rotation_members(config, team.name)
    here = local(config, moment)
    first = _at(config, here.date(), rotation.first_slot)
    slot = timedelta(minutes=rotation.slot_minutes)
    if not members or moment < first or moment >= first + slot * len(members):
        return None
    index = int((moment - first) / slot)
    if members[index] == user.id:
        return None
    return Closed(f"window:rotation_slot:{members[index]}", first + slot * (index + 1))


def priority_offset(config: LeadpoolConfig, user: User) -> timedelta:
    """When this rep's access starts relative to a release.

    Top-tier reps get in early, below-quota reps late (they can still take
    what is left); everyone else at the release itself.
    """
    priority = config.windows.priority
    if not priority.enabled:
        return timedelta(0)
    if user.tier == 1:
        return -timedelta(minutes=priority.top_tier_early_minutes)
    attainment = user.quota_attainment
    if attainment is not None and attainment < priority.below_quota_attainment:
        return timedelta(minutes=priority.below_quota_late_minutes)
    return timedelta(0)


def _release_window(
    config: LeadpoolConfig, user: User, moment: datetime
) -> Open | Closed:
    """Claims open for `claim_minutes` from the rep's access to each release.

    Only leads stocked before that release are claimable in its window;
    unclaimed ones stay for the next.
    """
    releases = config.windows.releases
    offset = priority_offset(config, user)
    length = timedelta(minutes=releases.claim_minutes)
    here = local(config, moment)

    upcoming: list[datetime] = []
    for days_ahead in (-1, 0, 1):
        day = here.date() + timedelta(days=days_ahead)
        for at in releases.times:
            release = _at(config, day, at)
            opens = release + offset
            closes = release + max(offset, timedelta(0)) + length
            if opens <= moment < closes:
                return Open(release_at=release)
            if opens > moment:
                upcoming.append(opens)
    return Closed("window:release", min(upcoming) if upcoming else None)
