"""One intake message in, one decision out: pooled, held or rejected.

Whether a pooled lead is new or a duplicate to merge is decided after
this, against the dedupe window (see `dedupe.py` and `window.py`).
"""

import base64
from dataclasses import dataclass
from datetime import datetime

from schemas.config import LeadpoolConfig
from schemas.config.routing import AccountDelivery
from schemas.events import HeldLead, PooledLead, RejectedLead
from schemas.lead import Lead
from services.router.accounts import owning_account
from services.router.controls import NO_CONTROLS, IntakeControls
from services.router.intake import Refused, decode_intake
from services.router.normalise import normalise
from services.router.quarantine import quarantine_reasons
from services.router.refusal import every_reason
from services.router.requirements import check_required
from services.router.rules import place

Decision = PooledLead | HeldLead | RejectedLead


@dataclass(frozen=True)
class IntakeRecord:
    raw: bytes
    received_at: datetime
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    released: bool = False  # replayed from `leads.held` after a resume

    @property
    def position(self) -> str | None:
        """Where the message sits on the intake topic: its stable identity."""
        if self.topic is None or self.partition is None or self.offset is None:
            return None
        return f"{self.topic}:{self.partition}:{self.offset}"


def decide(
    record: IntakeRecord,
    config: LeadpoolConfig,
    controls: IntakeControls = NO_CONTROLS,
) -> Decision:
    """One intake message's outcome, under hygiene's `controls` (sources
    paused beyond those the configuration names, audited pools, moved
    score thresholds)."""
    try:
        intake = decode_intake(record.raw)
        check_required(intake, config.routing)
        lead = normalise(intake, record.received_at)
    except Refused as refused:
        return reject(record, every_reason(record.raw, refused, config.routing))

    held = (
        lead.source in config.routing.paused_sources
        or lead.source in controls.paused_sources
    )
    if held and not record.released:
        return hold(record, lead.source, config)
    return route(lead, config, record.received_at, controls)


def route(
    lead: Lead,
    config: LeadpoolConfig,
    routed_at: datetime,
    controls: IntakeControls = NO_CONTROLS,
) -> PooledLead:
    """Place a valid lead: quarantine, a known account, or the first rule."""
    routing = config.routing
    questionable = quarantine_reasons(lead, routing.quarantine)
    if questionable:
        return PooledLead(
            lead=lead,
            pool=routing.quarantine_pool,
            rule=None,
            reason="quarantined for review: " + "; ".join(questionable),
            config_version=config.version,
            routed_at=routed_at,
        )

    placement = place(lead, routing, controls)
    account = owning_account(lead, routing.accounts)
    if account is not None:
        to_rep = account.deliver is AccountDelivery.REP
        return PooledLead(
            lead=lead,
            pool=account.pool or placement.pool,
            rule=f"account:{account.name}",
            reason=f"known account {account.name!r} owned by {account.owner_rep!r}"
            + (" (assigned to the owner)" if to_rep else " (owner's team pool)"),
            config_version=config.version,
            routed_at=routed_at,
            owner_rep=account.owner_rep if to_rep else None,
        )

    return PooledLead(
        lead=lead,
        pool=placement.pool,
        rule=placement.rule,
        reason=placement.reason,
        config_version=config.version,
        routed_at=routed_at,
        fast_lane=lead.score > routing.fast_lane.score_over,
    )


def hold(record: IntakeRecord, source: str, config: LeadpoolConfig) -> HeldLead:
    original, _ = _original(record.raw)
    return HeldLead(
        original=original,
        source=source,
        held_at=record.received_at,
        config_version=config.version,
        intake_topic=record.topic,
        intake_partition=record.partition,
        intake_offset=record.offset,
    )


def reject(record: IntakeRecord, refused: Refused) -> RejectedLead:
    original, encoding = _original(record.raw)
    return RejectedLead(
        original=original,
        original_encoding=encoding,
        reasons=refused.problems,
        source=refused.source,
        received_at=record.received_at,
        intake_topic=record.topic,
        intake_partition=record.partition,
        intake_offset=record.offset,
    )


def _original(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Keep bytes that are not text intact rather than guess a charset.
        return base64.b64encode(raw).decode(), "base64"
