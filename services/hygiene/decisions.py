"""From an aging band reached to the commands hygiene sends (pure)."""

from datetime import datetime

from schemas.commands import Action, HygieneCommand
from schemas.config import LeadpoolConfig
from schemas.config.hygiene import AgeAction
from schemas.events import Removal
from services.hygiene.aging import BandReached


def aging_commands(
    reached: BandReached, config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    band = reached.band
    high_value = reached.score >= config.hygiene.aging.high_value_score
    policy = f"aging.{band.from_hours:g}h"
    figures: dict[str, float | str] = {
        "age_hours": round(reached.age.total_seconds() / 3600, 2),
        "score": reached.score,
        "band_from_hours": band.from_hours,
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
            case AgeAction.AUTO_ASSIGN_OR_NURTURE:
                if high_value:
                    command(Action.AUTO_ASSIGN, "auto-assign")
                else:
                    command(Action.REMOVE, "nurture", destination=Removal.NURTURE)
            case AgeAction.REMOVE:
                command(Action.REMOVE, "remove", destination=Removal.NURTURE)
    return commands
