"""One intake message in, exactly one outcome out: pooled or rejected."""

import base64
from dataclasses import dataclass
from datetime import datetime

from schemas.config import LeadpoolConfig
from schemas.events import PooledLead, RejectedLead
from services.router.intake import Refused, decode_intake
from services.router.normalise import normalise
from services.router.rules import place


@dataclass(frozen=True)
class IntakeRecord:
    raw: bytes
    received_at: datetime
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None


def decide(record: IntakeRecord, config: LeadpoolConfig) -> PooledLead | RejectedLead:
    try:
        lead = normalise(decode_intake(record.raw), record.received_at)
    except Refused as refused:
        return reject(record, refused)

    placement = place(lead, config.routing)
    return PooledLead(
        lead=lead,
        pool=placement.pool,
        rule=placement.rule,
        reason=placement.reason,
        config_version=config.version,
        routed_at=record.received_at,
        fast_lane=lead.score > config.routing.fast_lane.score_over,
    )


def reject(record: IntakeRecord, refused: Refused) -> RejectedLead:
    try:
        original, encoding = record.raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Keep bytes that are not text intact rather than guess a charset.
        original, encoding = base64.b64encode(record.raw).decode(), "base64"
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
