"""When reps may claim: business hours, releases, rotation, priority access."""

from datetime import time
from enum import StrEnum

from pydantic import Field

from schemas.base import Settings


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class OffHours(StrEnum):
    ON_CALL = "on_call"  # only users in the on-call rotation
    DUTY_TEAM = "duty_team"  # only members of the duty team
    CLOSED = "closed"  # nobody claims; leads are auto-assigned instead


class BusinessHours(Settings):
    start: time = time(8, 0)
    end: time = time(18, 0)
    days: list[Weekday] = Field(
        default_factory=lambda: [
            Weekday.MON,
            Weekday.TUE,
            Weekday.WED,
            Weekday.THU,
            Weekday.FRI,
        ]
    )
    after_hours: OffHours = OffHours.ON_CALL
    weekends: OffHours = OffHours.DUTY_TEAM


class ReleaseWindows(Settings):
    """For pools with `release_windows`: leads become claimable at releases."""

    times: list[time] = Field(
        default_factory=lambda: [time(h, 0) for h in (8, 10, 12, 14, 16)]
    )
    claim_minutes: float = Field(default=15, gt=0)


class Rotation(Settings):
    enabled: bool = False
    slot_minutes: float = Field(default=30, gt=0)
    first_slot: time = time(8, 0)


class PriorityAccess(Settings):
    """Offsets from each release for top, on-quota and below-quota reps."""

    enabled: bool = True
    top_tier_early_minutes: float = Field(default=15, ge=0)
    below_quota_late_minutes: float = Field(default=30, ge=0)
    below_quota_attainment: float = Field(
        default=1.0, gt=0, description="Attainment under this is below quota"
    )


class Windows(Settings):
    timezone: str = "UTC"
    business_hours: BusinessHours = BusinessHours()
    releases: ReleaseWindows = ReleaseWindows()
    rotation: Rotation = Rotation()
    priority: PriorityAccess = PriorityAccess()
    holidays: list[str] = Field(
        default_factory=list, description="ISO dates with no claiming"
    )
