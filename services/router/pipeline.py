"""A batch of intake records through decision, dedupe window and merge.

Produces the messages to send, in record order, and counts each record's
outcome: every record ends pooled, merged, rejected or held (and a held
one is routed again when its source resumes).
"""

from collections import Counter
from dataclasses import dataclass, field

from schemas.config import LeadpoolConfig
from schemas.events import LeadMerged
from services.common.clock import Clock
from services.router.controls import NO_CONTROLS, IntakeControls
from services.router.decide import IntakeRecord
from services.router.dedupe import merge
from services.router.prepare import Admission, Emission, Prepared, placed, prepare
from services.router.window import (
    Admitted,
    Conflict,
    DedupeWindow,
    Known,
    Replay,
)

MAX_MERGE_ATTEMPTS = 16  # concurrent merges of one lead retry this often


class MergeContention(RuntimeError):
    """A lead kept changing under a merge; the batch is retried unacked."""


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
        return await self.settle(self.decide(records, config, controls), config)

    def decide(
        self,
        records: list[IntakeRecord],
        config: LeadpoolConfig,
        controls: IntakeControls = NO_CONTROLS,
    ) -> list[Prepared]:
        """Each record decided (no I/O): a batch may be decided while the
        one before it is still being settled."""
        return prepare(records, config, controls)

    async def settle(
        self, decided: list[Prepared], config: LeadpoolConfig
    ) -> BatchResult:
        """Routed leads against the dedupe window: new, merged or replayed.
        Batches must be settled in intake order."""
        slots: list[list[Emission]] = [[] for _ in decided]
        result = BatchResult()
        admissions: list[tuple[int, Admission]] = []

        for index, prepared in enumerate(decided):
            if isinstance(prepared, Admission):
                admissions.append((index, prepared))
            else:
                slots[index].append(prepared.emission)
                result.outcomes[prepared.kind] += 1

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
                    return "pooled", item.placed
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
            item.candidate().lead,
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
            emitted += placed(folded.placement, config)
        return "merged", emitted


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
        emitted += placed(replay.placement, config)
    return emitted


def _merged(event: LeadMerged, config: LeadpoolConfig) -> Emission:
    return Emission(
        config.topics.merged, event.lead_id.encode(), event.model_dump_json().encode()
    )
