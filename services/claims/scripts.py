"""The Lua scripts of the claims service, loaded once per Redis client."""

from dataclasses import dataclass
from importlib.resources import files

import redis.asyncio as aioredis
from redis.commands.core import AsyncScript


def _source(name: str) -> str:
    return files("services.claims").joinpath("lua", f"{name}.lua").read_text()


@dataclass(frozen=True)
class Scripts:
    stock: AsyncScript
    claim: AsyncScript
    escalate: AsyncScript

    @classmethod
    def register(cls, redis: "aioredis.Redis") -> "Scripts":
        return cls(
            stock=redis.register_script(_source("stock")),
            claim=redis.register_script(_source("claim")),
            escalate=redis.register_script(_source("escalate")),
        )
