"""The Lua scripts of the claims service, loaded once per Redis client.

Each script is its own file under `lua/`; the shared helpers of
`_prelude.lua` (event emission, command idempotence, moving a lead) are
prepended, so every script stays one atomic call.
"""

from dataclasses import dataclass
from importlib.resources import files

import redis.asyncio as aioredis
from redis.commands.core import AsyncScript


def source(name: str) -> str:
    lua = files("services.claims").joinpath("lua")
    prelude = lua.joinpath("_prelude.lua").read_text()
    return prelude + "\n" + lua.joinpath(f"{name}.lua").read_text()


@dataclass(frozen=True)
class Scripts:
    stock: AsyncScript
    claim: AsyncScript
    escalate: AsyncScript
    give_back: AsyncScript
    contact: AsyncScript
    outcome: AsyncScript
    remove: AsyncScript
    move: AsyncScript
    transfer: AsyncScript
    reinstate: AsyncScript

    @classmethod
    def register(cls, redis: "aioredis.Redis") -> "Scripts":
        def load(name: str) -> AsyncScript:
            return redis.register_script(source(name))

        return cls(
            stock=load("stock"),
            claim=load("claim"),
            escalate=load("escalate"),
            give_back=load("return"),
            contact=load("contact"),
            outcome=load("outcome"),
            remove=load("remove"),
            move=load("move"),
            transfer=load("transfer"),
            reinstate=load("reinstate"),
        )
