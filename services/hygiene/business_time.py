"""Deadlines on a business-hours clock (pure).

Only time inside business hours counts toward a deadline: a lead claimed
ten minutes before close on a two-hour SLA is due 110 minutes after the
next opening, not at 7:50 PM.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from schemas.config import LeadpoolConfig

MAX_DAYS_SEARCHED = 400  # a year of holidays and closed days, then give up


@dataclass(frozen=True)
class BusinessCalendar:
    zone: ZoneInfo
    opens: time
    closes: time
    weekdays: frozenset[int]  # 0 = Monday
    holidays: frozenset[date]

    @classmethod
    def from_config(cls, config: LeadpoolConfig) -> "BusinessCalendar":
        hours = config.windows.business_hours
        order = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        return cls(
            zone=ZoneInfo(config.windows.timezone),
            opens=hours.start,
            closes=hours.end,
            weekdays=frozenset(order.index(day.value) for day in hours.days),
            holidays=frozenset(date.fromisoformat(d) for d in config.windows.holidays),
        )

    def is_open_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def add(self, start: datetime, business: timedelta) -> datetime:
        """The moment `business` worth of open hours after `start`, in UTC."""
        if business < timedelta(0):
            raise ValueError("business: a deadline offset must not be negative")
        remaining = business
        cursor = start.astimezone(UTC)
        day = cursor.astimezone(self.zone).date()

        for _ in range(MAX_DAYS_SEARCHED):
            if self.is_open_day(day):
                opens, closes = self._bounds(day)
                cursor = max(cursor, opens)
                if cursor < closes:
                    if cursor + remaining <= closes:
                        return cursor + remaining
                    remaining -= closes - cursor
            day += timedelta(days=1)
        raise ValueError("windows.business_hours: no open hours within a year")

    def _bounds(self, day: date) -> tuple[datetime, datetime]:
        opens = datetime.combine(day, self.opens, tzinfo=self.zone)
        closes = datetime.combine(day, self.closes, tzinfo=self.zone)
        return opens.astimezone(UTC), closes.astimezone(UTC)
