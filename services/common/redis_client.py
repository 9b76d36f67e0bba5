"""Redis connections: one asyncio client per worker, decoded strings."""

import redis.asyncio as aioredis

from services.common.settings import ServiceSettings


def connect_redis(settings: ServiceSettings) -> "aioredis.Redis":
    return aioredis.from_url(
        settings.redis_url.get_secret_value(),
        decode_responses=True,
        # Replies are parsed in their RESP2 shapes (lists, not maps).
        protocol=2,
        health_check_interval=30,
    )
