"""Pausing a source: its leads wait on `leads.held` until it resumes."""

import asyncio

from schemas.config import LeadpoolConfig
from services.common.live_config import LiveConfig
from services.router.source_pauses import SourcePauses


class PauseGate:
    """Lets held leads through once their source is no longer paused, by the
    configuration or by hygiene."""

    def __init__(self, live: LiveConfig, pauses: SourcePauses) -> None:
        self._live = live
        self._pauses = pauses
        self._changed = asyncio.Condition()
        live.subscribe(self._on_config)
        pauses.subscribe(self._on_pauses)

    def is_paused(self, source: str) -> bool:
        return (
            source in self._live.current.routing.paused_sources
            or source in self._pauses.active()
        )

    async def wait_resumed(self, source: str) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: not self.is_paused(source))

    def _on_config(self, _old: LeadpoolConfig, _new: LeadpoolConfig) -> None:
        self._on_pauses()

    def _on_pauses(self) -> None:
        # Listeners run inside the loop (config and pause followers are tasks).
        asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()
