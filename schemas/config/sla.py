"""Service levels on claimed leads, with escalation steps and penalties."""

from enum import StrEnum

from pydantic import Field

from schemas.base import Settings


class StepAction(StrEnum):
    REMIND_REP = "remind_rep"
    ALERT_MANAGER = "alert_manager"
    RETURN_TO_POOL = "return_to_pool"
    REASSIGN = "reassign"


class EscalationStep(Settings):
    """An action at an offset from the deadline (negative: before it)."""

    at_minutes: float
    action: StepAction


class Sla(Settings):
    name: str
    contact_minutes: float = Field(gt=0)
    business_hours: bool = Field(
        default=False, description="Count only business hours toward the deadline"
    )
    steps: list[EscalationStep]


class Penalties(Settings):
    misses_before_penalty: int = Field(default=3, ge=1)
    window_days: float = Field(default=7, gt=0)
    daily_quota_reduction: int = Field(default=5, ge=0)
    suspend_pool_access: bool = False
    fast_lane_misses_before_removal: int = Field(default=2, ge=1)


class Slas(Settings):
    claim_to_contact: Sla = Sla(
        name="claim_to_contact",
        contact_minutes=120,
        steps=[
            EscalationStep(at_minutes=-30, action=StepAction.REMIND_REP),
            EscalationStep(at_minutes=0, action=StepAction.RETURN_TO_POOL),
        ],
    )
    fast_lane: Sla = Sla(
        name="fast_lane",
        contact_minutes=30,
        steps=[
            EscalationStep(at_minutes=-10, action=StepAction.REMIND_REP),
            EscalationStep(at_minutes=0, action=StepAction.ALERT_MANAGER),
        ],
    )
    penalties: Penalties = Penalties()
    exempt_open_opportunity: bool = True
    exempt_manager_locked: bool = True
