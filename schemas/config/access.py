"""Who may do what: roles, permission grants, teams, users and tiers."""

from datetime import date, time
from enum import StrEnum

from pydantic import Field, model_validator

from schemas.base import Settings
from schemas.config.pools import Quality
from schemas.config.windows import Weekday


class Permission(StrEnum):
    CLAIM = "claim"
    VIEW = "view"
    MANAGE = "manage"  # transfer leads, adjust pool settings
    ADMIN = "admin"  # full control, structure changes included


class Scope(StrEnum):
    ASSIGNED = "assigned"  # pools listed on the user
    TEAM = "team"  # pools of the user's team
    ALL = "all"


class Grant(Settings):
    permission: Permission
    scope: Scope


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"
    OPS = "ops"
    EXECUTIVE = "executive"
    ADMIN = "admin"


class Performance(StrEnum):
    """Daily quota level."""

    HIGH = "high"
    STANDARD = "standard"
    LOW = "low"


def seed_role_grants() -> dict[Role, list[Grant]]:
    return {
        Role.REP: [Grant(permission=Permission.CLAIM, scope=Scope.ASSIGNED)],
        Role.MANAGER: [
            Grant(permission=Permission.CLAIM, scope=Scope.ASSIGNED),
            Grant(permission=Permission.VIEW, scope=Scope.ALL),
            Grant(permission=Permission.MANAGE, scope=Scope.TEAM),
        ],
        Role.OPS: [Grant(permission=Permission.MANAGE, scope=Scope.ALL)],
        Role.EXECUTIVE: [Grant(permission=Permission.VIEW, scope=Scope.ALL)],
        Role.ADMIN: [Grant(permission=Permission.ADMIN, scope=Scope.ALL)],
    }


def seed_implications() -> dict[Permission, list[Permission]]:
    # Seeing a pool is part of claiming from or managing it.
    return {
        Permission.CLAIM: [Permission.VIEW],
        Permission.MANAGE: [Permission.VIEW],
        Permission.ADMIN: [Permission.MANAGE, Permission.VIEW],
    }


class Team(Settings):
    name: str = Field(min_length=1)
    manager: str | None = Field(default=None, description="User id of its manager")
    pools: list[str] = Field(default_factory=list)
    duty: bool = Field(default=False, description="The weekend duty team")


class Shift(Settings):
    """Hours a rep works, in the configured time zone. A rep with shifts
    claims and is assigned only inside one; a rep without works any hours
    the access windows open."""

    days: list[Weekday] = Field(min_length=1)
    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> "Shift":
        if self.end <= self.start:
            raise ValueError("end: must be after start (split a night shift)")
        return self


class Absence(Settings):
    """Days a user is away (out of office, holiday): no claims, no assignments."""

    start: date
    end: date = Field(description="Last day away, inclusive")
    reason: str = "out_of_office"

    @model_validator(mode="after")
    def _ordered(self) -> "Absence":
        if self.end < self.start:
            raise ValueError("end: must not be before start")
        return self


class User(Settings):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    name: str
    role: Role
    team: str | None = None
    function: str | None = Field(default=None, description="sdr, ae, specialist")
    tier: int = Field(default=2, ge=1, le=3, description="Performance tier")
    performance: Performance = Performance.STANDARD
    pools: list[str] = Field(default_factory=list, description="Assigned pools")
    on_call: bool = Field(default=False, description="In the after-hours rotation")
    active: bool = True
    round_robin_weight: float = Field(default=1.0, ge=0)
    quota_attainment: float | None = Field(
        default=None, ge=0, description="Share of quota attained (1.0 = on quota)"
    )
    absences: list[Absence] = Field(default_factory=list)
    shifts: list[Shift] = Field(default_factory=list, description="Working hours")
    token_sha256: list[str] = Field(
        default_factory=list, description="SHA-256 hex of the user's API tokens"
    )


class TierAccess(Settings):
    """Which pool qualities each performance tier may claim from."""

    tier: int = Field(ge=1, le=3)
    qualities: list[Quality]
    percentile_from: float = Field(ge=0, le=100, description="Ranking band start")
    percentile_to: float = Field(ge=0, le=100)


def seed_tiers() -> list[TierAccess]:
    every = [Quality.HOT, Quality.WARM, Quality.COLD, Quality.OTHER]
    return [
        TierAccess(tier=1, qualities=every, percentile_from=75, percentile_to=100),
        TierAccess(
            tier=2,
            qualities=[Quality.WARM, Quality.COLD, Quality.OTHER],
            percentile_from=25,
            percentile_to=75,
        ),
        TierAccess(
            tier=3,
            qualities=[Quality.COLD, Quality.OTHER],
            percentile_from=0,
            percentile_to=25,
        ),
    ]


class Access(Settings):
    roles: dict[Role, list[Grant]] = Field(default_factory=seed_role_grants)
    implies: dict[Permission, list[Permission]] = Field(
        default_factory=seed_implications
    )
    tiers: list[TierAccess] = Field(default_factory=seed_tiers)
    tier_recalculation: str = Field(default="weekly", pattern=r"^(weekly|monthly)$")
    conversion_weight: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Share of the tier ranking from conversion; rest: attainment",
    )
