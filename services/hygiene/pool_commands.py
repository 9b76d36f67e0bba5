"""Building pool-level commands with stable ids (pure)."""

from datetime import datetime

from schemas.commands import Action, HygieneCommand
from schemas.config import LeadpoolConfig

Figures = dict[str, float | str]


def pool_command(
    key: str,
    action: Action,
    policy: str,
    pool: str,
    figures: Figures,
    config: LeadpoolConfig,
    now: datetime,
    **fields: object,
) -> HygieneCommand:
    """`key` names what the decision is about, so deciding again is a replay."""
    return HygieneCommand(
        command_id=f"{policy}:{pool}:{key}",
        action=action,
        policy=policy,
        figures=figures,
        issued_at=now,
        config_version=config.version,
        pool=pool,
        **fields,
    )


def day_key(now: datetime) -> str:
    # One decision a day at most for slow signals: a new leader that decides
    # the same thing again the same day sends the same id.
    return now.date().isoformat()
