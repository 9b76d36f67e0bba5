"""A batch of intake records decided and made ready to send.

Pure: no I/O, so the worker decides one batch while the batch before it
waits on the dedupe window and the broker.
"""

import hashlib
from dataclasses import dataclass

from schemas.config import LeadpoolConfig
from schemas.events import HeldLead, PooledLead, RejectedLead
from services.router.controls import IntakeControls
from services.router.decide import IntakeRecord, decide
from services.router.dedupe import Identity, identities
from services.router.offers import offers_for


@dataclass(frozen=True)
class Emission:
    topic: str  # unprefixed topic name, e.g. pool.hot
    key: bytes | None
    value: bytes


@dataclass(frozen=True)
class Settled:
    """A record that is held or rejected: no dedupe window to ask."""

    kind: str  # held or rejected
    emission: Emission


@dataclass(frozen=True)
class Admission:
    """A routed lead waiting for the dedupe window's answer."""

    position: str
    lead_id: str
    identities: list[Identity]
    body: str  # the routed lead as JSON: stored in the window and sent as is
    placed: list[Emission]  # what to send if it is new: pool topic, offers

    def candidate(self) -> PooledLead:
        return PooledLead.model_validate_json(self.body)


Prepared = Settled | Admission


def prepare(
    records: list[IntakeRecord], config: LeadpoolConfig, controls: IntakeControls
) -> list[Prepared]:
    return [_prepare(record, config, controls) for record in records]


def placed(
    pooled: PooledLead, config: LeadpoolConfig, body: str | None = None
) -> list[Emission]:
    """The lead on its pool topic, and a fast-lane lead's offers."""
    key = pooled.lead.lead_id.encode()
    value = (body or pooled.model_dump_json()).encode()
    emitted = [Emission(config.topics.pool(pooled.pool), key, value)]
    if pooled.fast_lane:
        emitted += [
            Emission(config.topics.offers, key, offer.model_dump_json().encode())
            for offer in offers_for(pooled, config)
        ]
    return emitted


def _prepare(
    record: IntakeRecord, config: LeadpoolConfig, controls: IntakeControls
) -> Prepared:
    decision = decide(record, config, controls)
    if not isinstance(decision, PooledLead):
        return _settled(decision, config)

    # A message without an intake position (a direct call) is known by content.
    position = record.position or "raw:" + hashlib.sha256(record.raw).hexdigest()
    body = decision.model_dump_json()
    return Admission(
        position=position,
        lead_id=decision.lead.lead_id,
        identities=identities(decision.lead, list(config.routing.dedupe.match_on)),
        body=body,
        placed=placed(decision, config, body),
    )


def _settled(decision: HeldLead | RejectedLead, config: LeadpoolConfig) -> Settled:
    if isinstance(decision, HeldLead):
        # Keyed by source: one source's held leads stay in order on one partition.
        emission = Emission(
            config.topics.held,
            decision.source.encode(),
            decision.model_dump_json().encode(),
        )
        return Settled("held", emission)
    value = decision.model_dump_json().encode()
    return Settled("rejected", Emission(config.topics.rejected, None, value))
