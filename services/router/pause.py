"""Pausing a source: its leads wait on `leads.held` until it resumes.

One held topic serves every source, keyed by source, so a paused source's
lead can sit in front of a resumed source's leads on the same partition.
Whenever the pauses change while such a lead is at the head, it and the
other leads of its source are put back at the tail (one pass), and the
leads behind them flow; a lead met again in the same pass means nothing
else is waiting, so the release waits for the next change.
"""

import asyncio
import logging
import uuid

from schemas.config import LeadpoolConfig
from schemas.events import HeldLead
from services.common.live_config import LiveConfig
from services.router.source_pauses import SourcePauses

log = logging.getLogger(__name__)


class PauseGate:
    """Lets held leads through once their source is no longer paused, by the
    configuration or by hygiene."""

    def __init__(self, live: LiveConfig, pauses: SourcePauses) -> None:
        self._live = live
        self._pauses = pauses
        self._changed = asyncio.Condition()
        self._changes = 0
        live.subscribe(self._on_config)
        pauses.subscribe(self._on_pauses)

    def is_paused(self, source: str) -> bool:
        return (
            source in self._live.current.routing.paused_sources
            or source in self._pauses.active()
        )

    async def wait_changed(self) -> None:
        """Until the paused sources may have changed (config or hygiene)."""
        async with self._changed:
            seen = self._changes
            await self._changed.wait_for(lambda: self._changes != seen)

    def _on_config(self, _old: LeadpoolConfig, _new: LeadpoolConfig) -> None:
        self._on_pauses()

    def _on_pauses(self) -> None:
        # Listeners run inside the loop (config and pause followers are tasks).
        asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self._changed:
            self._changes += 1
            self._changed.notify_all()


class HeldRelease:
    """Decides, lead by lead, when a held lead may be routed."""

    def __init__(self, gate: PauseGate) -> None:
        self._gate = gate
        self._passes: dict[str, str] = {}  # source -> its current requeue pass

    async def step(self, lead: HeldLead) -> HeldLead | None:
        """None once the lead may be routed; else the lead to put back at
        the tail (its source still paused, others may wait behind it)."""
        while self._gate.is_paused(lead.source):
            current = self._passes.get(lead.source)
            if current is not None and lead.requeue_pass != current:
                return lead.model_copy(update={"requeue_pass": current})

            log.info("held leads waiting for resume", extra={"source": lead.source})
            await self._gate.wait_changed()
            self._passes[lead.source] = uuid.uuid4().hex
        self._passes.pop(lead.source, None)
        return None
