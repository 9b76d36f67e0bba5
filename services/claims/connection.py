"""The claims service's Redis client: a bounded, blocking connection pool.

Hundreds of reps may claim at the same instant; redis-py's default pool
fails past 100 connections in use, while one Redis primary gains nothing
from more than a few dozen. Callers beyond the pool wait for a connection.
"""

import redis.asyncio as aioredis

from services.common.settings import ServiceSettings

MAX_CONNECTIONS = 64


def connect_claims_redis(settings: ServiceSettings) -> "aioredis.Redis":
    pool = aioredis.BlockingConnectionPool.from_url(
        settings.redis_url.get_secret_value(),
        max_connections=MAX_CONNECTIONS,
        timeout=5,
        decode_responses=True,
        # Replies are parsed in their RESP2 shapes (lists, not maps).
        protocol=2,
        health_check_interval=30,
    )
    return aioredis.Redis(connection_pool=pool)
