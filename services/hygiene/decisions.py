"""From an aging band or an SLA step to the commands hygiene sends (pure)."""

from collections.abc import Callable
from datetime import datetime

from schemas.commands import Action, HygieneCommand
from schemas.config import LeadpoolConfig
from schemas.config.hygiene import AgeAction
from schemas.config.sla import StepAction
from schemas.events import Removal
from services.hygiene.aging import BandReached
from services.hygiene.book import LeadRecord
from services.hygiene.sla import StepDue
from services.hygiene.stale import review_if_stale

Figures = dict[str, float | str]

DuplicateOf = Callable[[str], str | None]


def aging_commands(
    reached: BandReached,
    record: LeadRecord,
    config: LeadpoolConfig,
    now: datetime,
    duplicate_of: DuplicateOf = lambda _lead_id: None,
) -> list[HygieneCommand]:
    """`duplicate_of`: the lead a lead duplicates, as the weekly stale scan
    finds it over every lead (asked only when a removal is due)."""
    band = reached.band
    high_value_score = config.hygiene.aging.high_value_score
    high_value = reached.score >= high_value_score
    policy = f"aging.{band.from_hours:g}h"
    figures: Figures = {
        "age_hours": round(reached.age.total_seconds() / 3600, 2),
        "score": reached.score,
        "high_value_score": high_value_score,
        "band_from_hours": band.from_hours,
        "engaged": str(record.engaged).lower(),
        "contacts": record.contacts,
        "merges": record.merges,
    }
    commands: list[HygieneCommand] = []

    def command(action: Action, suffix: str, **fields: object) -> None:
        commands.append(
            HygieneCommand(
                command_id=f"{reached.lead_id}:{policy}:{suffix}",
                action=action,
                policy=policy,
                figures=figures,
                issued_at=now,
                config_version=config.version,
                lead_id=reached.lead_id,
                pool=reached.pool,
                **fields,
            )
        )

    def remove(destination: Removal, suffix: str, message: str) -> None:
        review = review_if_stale(
            record, config, now, duplicate_of(record.lead_id), found_by=policy
        )
        if review is not None:
            commands.append(review)
        else:
            command(Action.REMOVE, suffix, destination=destination, message=message)

    for action in band.actions:
        match action:
            case AgeAction.PRIORITISE:
                command(Action.ESCALATE, "escalate", top_pct=band.priority_top_pct)
            case AgeAction.FLAG_MANAGER:
                command(Action.FLAG, "flag", message="unclaimed past this age")
            case AgeAction.ALERT_MANAGER:
                command(Action.ALERT, "alert", message="unclaimed past this age")
            case AgeAction.FORCE_ASSIGN_HIGH_VALUE if high_value:
                command(Action.AUTO_ASSIGN, "force-assign")
            case AgeAction.AUTO_ASSIGN_OR_NURTURE if high_value:
                command(Action.AUTO_ASSIGN, "auto-assign")
            case AgeAction.AUTO_ASSIGN_OR_NURTURE:
                if band.recycle_unengaged and not record.engaged:
                    remove(Removal.RECYCLE, "recycle", "no engagement: to recycling")
                else:
                    remove(Removal.NURTURE, "nurture", "not high value: to nurture")
            case AgeAction.REMOVE:
                if band.archive_unengaged and not record.engaged:
                    remove(Removal.ARCHIVE, "archive", "no engagement: archived")
                else:
                    remove(Removal.NURTURE, "nurture", "to long-term nurture")
    return commands


_STEP_ACTIONS = {
    StepAction.REMIND_REP: Action.REMIND,
    StepAction.ALERT_MANAGER: Action.ALERT,
    StepAction.RETURN_TO_POOL: Action.RETURN,
    StepAction.REASSIGN: Action.AUTO_ASSIGN,
}
_RECALLS = {StepAction.RETURN_TO_POOL, StepAction.REASSIGN}


def sla_commands(
    due: StepDue, record: LeadRecord | None, config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    """The command for one escalation step, unless the lead is exempt."""
    timer, step = due.timer, due.step
    if step.action in _RECALLS and exempt(record, config):
        return []
    policy = f"sla.{timer.sla.name}.{step.action.value}"
    claimed_ms = int(timer.claimed_at.timestamp() * 1000)
    late_minutes = (now - timer.deadline).total_seconds() / 60
    figures: Figures = {
        "sla_minutes": timer.sla.contact_minutes,
        "step_at_minutes": step.at_minutes,
        "minutes_past_deadline": round(late_minutes, 2),
        "claimed_at": timer.claimed_at.isoformat(),
        "deadline": timer.deadline.isoformat(),
        "business_hours": str(timer.sla.business_hours).lower(),
    }
    return [
        HygieneCommand(
            command_id=f"{timer.lead_id}:{policy}:{claimed_ms}",
            action=_STEP_ACTIONS[step.action],
            policy=policy,
            figures=figures,
            issued_at=now,
            config_version=config.version,
            lead_id=timer.lead_id,
            pool=timer.pool,
            rep_id=timer.rep_id,
            message=f"not contacted within {timer.sla.contact_minutes:g} minutes",
        )
    ]


def exempt(record: LeadRecord | None, config: LeadpoolConfig) -> bool:
    """Leads with an open opportunity, or locked by a manager, stay put."""
    if record is None:
        return False
    slas = config.slas
    return (slas.exempt_open_opportunity and record.open_opportunity) or (
        slas.exempt_manager_locked and record.locked
    )
