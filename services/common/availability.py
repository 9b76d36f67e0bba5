"""Whether a rep is at work at a moment: absences and shifts from config.

Claims refuses claims and skips assignments by it; the router offers
fast-lane leads only to reps at work.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from schemas.config import LeadpoolConfig
from schemas.config.access import User
from schemas.config.windows import Weekday

_WEEKDAYS = list(Weekday)


def local(config: LeadpoolConfig, moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(config.windows.timezone))


def absent(config: LeadpoolConfig, user: User, moment: datetime) -> bool:
    today = local(config, moment).date()
    return any(a.start <= today <= a.end for a in user.absences)


def off_shift(config: LeadpoolConfig, user: User, moment: datetime) -> bool:
    """True when the rep keeps shifts and none covers this moment."""
    if not user.shifts:
        return False
    here = local(config, moment)
    weekday = _WEEKDAYS[here.weekday()]
    return not any(
        weekday in shift.days and shift.start <= here.time() < shift.end
        for shift in user.shifts
    )


def at_work(config: LeadpoolConfig, user: User, moment: datetime) -> bool:
    return not absent(config, user, moment) and not off_shift(config, user, moment)
