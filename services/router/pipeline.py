"""A batch of intake records through decision, dedupe window and merge.

Produces the messages to send, in record order, and counts each record's
outcome: every record ends pooled, merged, rejected or held (and a held
one is routed again when its source resumes).
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from schemas.config import LeadpoolConfig
from schemas.events import HeldLead, LeadMerged, PooledLead, RejectedLead
from services.common.clock import Clock
from services.router.controls import NO_CONTROLS, IntakeControls
from services.router.decide import IntakeRecord, decide
from services.router.dedupe import identities, merge
from services.router.offers import offers_for
from services.router.window import (
    Admission,
    Admitted,
    Conflict,
    DedupeWindow,
    Known,
    Replay,
)

MAX_MERGE_ATTEMPTS = 16  # concurrent merges of one lead retry this often


class MergeContention(RuntimeError):
    """A lead kept changing under a merge; the batch is retried unacked."""


@dataclass(frozen=True)
class Emission:
    topic: str  # unprefixed topic name, e.g. pool.hot
    key: bytes | None
    value: bytes


@dataclass
class BatchResult:
    emissions: list[Emission] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)


class Router:
    def __init__(self, window: DedupeWindow, clock: Clock) -> None:
        self._window = window
        self._clock = clock

    async def handle(
        self,
        records: list[IntakeRecord],
        config: LeadpoolConfig,
        controls: IntakeControls = NO_CONTROLS,
    ) -> BatchResult:
        slots: list[list[Emission]] = [[] for _ in records]
        result = BatchResult()
        admissions: list[tuple[int, Admission]] = []

        for index, record in enumerate(records):
            decision = decide(record, config, controls)
            if isinstance(decision, PooledLead):
                admissions.append((index, _admission(record, decision, config)))
            else:
                slots[index].append(_settled(decision, config))
                result.outcomes[_kind(decision)] += 1

        policy = config.routing.dedupe
        answers = await self._window.admit_many(
            [a for _, a in admissions], policy, self._clock.now()
        )
        for (index, item), answer in zip(admissions, answers, strict=True):
            kind, emitted = await self._resolve(item, answer, config)
            slots[index].extend(emitted)
            result.outcomes[kind] += 1

        result.emissions = [emission for slot in slots for emission in slot]
        return result

    async def _resolve(
        self,
        item: Admission,
        answer: Admitted | Known | Replay,
        config: LeadpoolConfig,
    ) -> tuple[str, list[Emission]]:
        for _ in range(MAX_MERGE_ATTEMPTS):
            match answer:
                case Admitted():
                    return "pooled", _placed(item.candidate, config, item.body)
                case Replay():
                    return answer.kind, _replayed(answer, config)
                case Known():
                    merged = await self._merge(item, answer, config)
                    if not isinstance(merged, Conflict):
                        return merged
                    if merged.current is None:
                        # The lead left the window meanwhile: admit it anew.
                        retry = await self._window.admit_many(
                            [item], config.routing.dedupe, self._clock.now()
                        )
                        answer = retry[0]
                    else:
                        answer = Known(answer.identity, merged.current)
        raise MergeContention(f"lead at {item.position} kept changing under merge")

    async def _merge(
        self, item: Admission, known: Known, config: LeadpoolConfig
    ) -> tuple[str, list[Emission]] | Conflict:
        now = self._clock.now()
        folded = merge(
            known.placement,
            item.candidate.lead,
            known.identity.kind,
            config,
            now,
            event_id=f"merge:{item.position}",
        )
        event = folded.event.model_dump_json()
        stored = await self._window.merge(
            item, known.placement, folded.placement, event, config.routing.dedupe, now
        )
        if isinstance(stored, Conflict):
            return stored
        if isinstance(stored, Replay):
            return stored.kind, _replayed(stored, config)

        emitted = [_merged(folded.event, config)]
        if folded.moved:
            emitted += _placed(folded.placement, config)
        return "merged", emitted


def _admission(
    record: IntakeRecord, pooled: PooledLead, config: LeadpoolConfig
) -> Admission:
    # A message without an intake position (a direct call) is known by content.
    position = record.position or "raw:" + hashlib.sha256(record.raw).hexdigest()
    match_on = list(config.routing.dedupe.match_on)
    body = pooled.model_dump_json()
    return Admission(position, pooled, identities(pooled.lead, match_on), body)


def _placed(
    pooled: PooledLead, config: LeadpoolConfig, body: str | None = None
) -> list[Emission]:
    key = pooled.lead.lead_id.encode()
    value = (body or pooled.model_dump_json()).encode()
    emitted = [Emission(config.topics.pool(pooled.pool), key, value)]
    if pooled.fast_lane:
        emitted += [
            Emission(config.topics.offers, key, offer.model_dump_json().encode())
            for offer in offers_for(pooled, config)
        ]
    return emitted


def _replayed(replay: Replay, config: LeadpoolConfig) -> list[Emission]:
    """A redelivered message repeats its first outcome: the lead is sent to
    where it stands now (claims ignores a copy it knows), and a merge
    repeats its event with the same id (consumers drop the copy)."""
    emitted: list[Emission] = []
    if replay.kind == "merged" and replay.merged_event is not None:
        key = replay.lead_id.encode()
        emitted.append(
            Emission(config.topics.merged, key, replay.merged_event.encode())
        )
    if replay.placement is not None:
        emitted += _placed(replay.placement, config)
    return emitted


def _merged(event: LeadMerged, config: LeadpoolConfig) -> Emission:
    return Emission(
        config.topics.merged, event.lead_id.encode(), event.model_dump_json().encode()
    )


def _settled(decision: HeldLead | RejectedLead, config: LeadpoolConfig) -> Emission:
    if isinstance(decision, HeldLead):
        # Keyed by source: one source's held leads stay in order on one partition.
        return Emission(
            config.topics.held,
            decision.source.encode(),
            decision.model_dump_json().encode(),
        )
    return Emission(config.topics.rejected, None, decision.model_dump_json().encode())


def _kind(decision: HeldLead | RejectedLead) -> str:
    return "held" if isinstance(decision, HeldLead) else "rejected"
