"""Stale leads: which pooled leads go to the ops review queue, and why (pure)."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from schemas.commands import Action, HygieneCommand
from schemas.config import LeadpoolConfig
from schemas.events import Removal
from services.hygiene.book import LeadRecord, LeadState


def duplicates(records: Iterable[LeadRecord]) -> dict[str, str]:
    """Lead id -> the older lead it duplicates, matched on email or phone."""
    first: dict[str, LeadRecord] = {}
    found: dict[str, str] = {}
    active = [r for r in records if r.state is not LeadState.REMOVED and r.lead]
    for record in sorted(active, key=lambda r: (r.pooled_at, r.lead_id)):
        assert record.lead is not None
        keys = [f"email:{record.lead.email.lower()}"]
        if record.lead.phone:
            keys.append(f"phone:{record.lead.phone}")
        original = next((first[key] for key in keys if key in first), None)
        if original is not None:
            found[record.lead_id] = original.lead_id
        for key in keys:
            first.setdefault(key, record)
    return found


def stale_reasons(
    record: LeadRecord, config: LeadpoolConfig, now: datetime, duplicate_of: str | None
) -> list[str]:
    rules = config.hygiene.stale
    reasons: list[str] = []
    waited = now - record.pooled_at
    if record.state is LeadState.POOLED and waited >= timedelta(
        days=rules.unclaimed_days
    ):
        reasons.append(f"unclaimed {rules.unclaimed_days:g}+ days")
    if record.returns >= rules.max_returns:
        reasons.append(f"returned {record.returns} times")
    inactive = now - record.last_activity >= timedelta(days=rules.inactive_days)
    if record.score < rules.low_score and inactive:
        reasons.append(
            f"score {record.score} with no activity {rules.inactive_days:g}+ days"
        )
    if duplicate_of is not None:
        reasons.append(f"duplicate of {duplicate_of}")
    status = (record.lead.status or "").lower() if record.lead else ""
    if status in {s.lower() for s in rules.junk_statuses}:
        reasons.append(f"marked {status}")
    return reasons


def stale_commands(
    records: Iterable[LeadRecord], config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    """Send each stale lead still in a pool to the review queue."""
    records = list(records)
    dupes = duplicates(records)
    commands: list[HygieneCommand] = []
    for record in records:
        if record.state is not LeadState.POOLED:
            continue
        review = review_if_stale(record, config, now, dupes.get(record.lead_id))
        if review is not None:
            commands.append(review)
    return commands


def review_if_stale(
    record: LeadRecord,
    config: LeadpoolConfig,
    now: datetime,
    duplicate_of: str | None,
    found_by: str = "stale",
) -> HygieneCommand | None:
    """The lead to the review queue when the stale rules flag it. Any job
    that would remove a lead asks this first: ops judge stale leads
    themselves, and the one command id makes whichever job finds the lead
    first the only one that sends it."""
    reasons = stale_reasons(record, config, now, duplicate_of)
    return review_command(record, reasons, config, now, found_by) if reasons else None


def review_command(
    record: LeadRecord,
    reasons: list[str],
    config: LeadpoolConfig,
    now: datetime,
    found_by: str = "stale",
) -> HygieneCommand:
    """To the review queue; one id per stay, whichever job found it first."""
    return HygieneCommand(
        command_id=f"stale:{record.lead_id}:{record.pooled_at:%s}",
        action=Action.REMOVE,
        policy="stale",
        figures={
            "reasons": "; ".join(reasons),
            "returns": record.returns,
            "score": record.score,
            "age_days": round((now - record.pooled_at) / timedelta(days=1), 2),
            "found_by": found_by,
        },
        issued_at=now,
        config_version=config.version,
        lead_id=record.lead_id,
        pool=record.pool,
        destination=Removal.REVIEW,
        message="; ".join(reasons),
    )
