"""Sources paused by hygiene (overflow, dynamic sizing), beside the config's.

Hygiene decides a pause and sends it on `hygiene.actions`; whichever router
worker reads the command records it in Redis, so every worker (each reads
only its share of that topic) sees it on its next refresh. A pause may
carry an end; a resume lifts it at once.
"""

import logging
from collections.abc import Callable
from datetime import datetime

import redis.asyncio as aioredis

from schemas.commands import Action, HygieneCommand
from services.common.clock import Clock, to_ms

log = logging.getLogger(__name__)

FOREVER_MS = 0  # a pause without an end lasts until resumed

Listener = Callable[[], None]


class SourcePauses:
    def __init__(self, redis: "aioredis.Redis", key: str, clock: Clock) -> None:
        self._redis = redis
        self._key = key  # hash: source -> end of the pause (epoch ms, 0: none)
        self._clock = clock
        self._until_ms: dict[str, int] = {}
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` whenever the set of paused sources may have changed."""
        self._listeners.append(listener)

    def active(self, now: datetime | None = None) -> frozenset[str]:
        moment = to_ms(now or self._clock.now())
        return frozenset(
            source
            for source, until in self._until_ms.items()
            if until == FOREVER_MS or until > moment
        )

    async def apply(self, command: HygieneCommand) -> bool:
        """Record a PAUSE_SOURCE or RESUME_SOURCE; False for anything else."""
        if command.source is None or command.action not in (
            Action.PAUSE_SOURCE,
            Action.RESUME_SOURCE,
        ):
            return False

        if command.action is Action.PAUSE_SOURCE:
            until = to_ms(command.until) if command.until else FOREVER_MS
            await self._redis.hset(self._key, command.source, until)
        else:
            await self._redis.hdel(self._key, command.source)
        log.info(
            "source paused by hygiene"
            if command.action is Action.PAUSE_SOURCE
            else "source resumed by hygiene",
            extra={
                "source": command.source,
                "policy": command.policy,
                "until": command.until.isoformat() if command.until else None,
            },
        )
        await self.refresh()
        return True

    async def refresh(self) -> None:
        """Read the pauses again; tell listeners when the paused set moved
        (a pause or resume from another worker, or a pause that ended)."""
        before = self.active()
        stored = await self._redis.hgetall(self._key)
        self._until_ms = {str(source): int(until) for source, until in stored.items()}
        if self.active() != before:
            for listener in self._listeners:
                listener()
