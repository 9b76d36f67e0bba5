"""The stale-lead review queue and the decisions ops make on it (pure)."""

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from schemas.base import Contract
from schemas.commands import REVIEW_POLICY, Action, HygieneCommand
from schemas.config import LeadpoolConfig
from schemas.events import Removal
from services.hygiene.book import LeadRecord, LeadState
from services.hygiene.ops_log import OpsLog


class Decision(StrEnum):
    ARCHIVE = "archive"  # no value
    NURTURE = "nurture"  # future potential
    RECYCLE = "recycle"  # needs re-engagement
    FIX_AND_RETURN = "fix_and_return"  # bad data fixed: back to the pool


class ReviewDecision(Contract):
    decision: Decision
    note: str = Field(default="", max_length=500)
    pool: str | None = Field(default=None, description="fix_and_return: pool to use")
    fixes: dict[str, str] = Field(
        default_factory=dict, description="fix_and_return: corrected lead fields"
    )


_REMOVALS = {
    Decision.ARCHIVE: Removal.ARCHIVE,
    Decision.NURTURE: Removal.NURTURE,
    Decision.RECYCLE: Removal.RECYCLE,
}


def in_review(records: Iterable[LeadRecord], ops: OpsLog) -> list[LeadRecord]:
    """Leads sent to review and not yet decided, oldest first."""
    waiting = [
        r
        for r in records
        if r.state is LeadState.REMOVED
        and r.removed_to is Removal.REVIEW
        and not _decided_since(ops, r)
    ]
    return sorted(waiting, key=lambda r: (r.removed_at or r.pooled_at, r.lead_id))


def _decided_since(ops: OpsLog, record: LeadRecord) -> bool:
    decision = ops.decided.get(record.lead_id)
    removed_at = record.removed_at or record.pooled_at
    return decision is not None and decision.issued_at >= removed_at


def entry(record: LeadRecord) -> dict[str, Any]:
    lead = record.lead
    return {
        "lead_id": record.lead_id,
        "pool": record.pool,
        "reason": record.removed_reason,
        "in_review_since": (record.removed_at or record.pooled_at).isoformat(),
        "score": record.score,
        "returns": record.returns,
        "email": lead.email if lead else None,
        "company": lead.company if lead else None,
    }


def decision_command(
    record: LeadRecord,
    body: ReviewDecision,
    user_id: str,
    config: LeadpoolConfig,
    now: datetime,
) -> HygieneCommand:
    removed_at = record.removed_at or record.pooled_at
    figures: dict[str, float | str] = {"reason": record.removed_reason, "by": user_id}
    figures |= {f"fix.{name}": value for name, value in body.fixes.items()}
    common: dict[str, Any] = {
        # One decision per stay in review: a repeated request is a replay.
        "command_id": f"review:{record.lead_id}:{removed_at:%s}",
        "policy": f"{REVIEW_POLICY}{body.decision.value}",
        "figures": figures,
        "issued_at": now,
        "config_version": config.version,
        "lead_id": record.lead_id,
        "pool": record.pool,
        "message": body.note or None,
    }
    if body.decision is Decision.FIX_AND_RETURN:
        target = body.pool or record.pool
        return HygieneCommand(action=Action.REINSTATE, target_pool=target, **common)
    return HygieneCommand(
        action=Action.REMOVE, destination=_REMOVALS[body.decision], **common
    )
