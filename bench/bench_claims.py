"""Claim latency and throughput against a trivial Lua script, same Redis, same run.

Figures:
- `claim_vs_bare_lua`: p99 of the claim script (every rule evaluated and
  passed) over p99 of a `return 1` script, each called by 200 concurrent
  reps racing for leads released at once.
- `claim_vs_bare_lua_serial`: the same with one call in flight, where the
  client's queueing no longer hides the server's work.
- `claim_p99_ms`: a claim over HTTP end to end, at 500 claims a second
  offered open loop to one claims worker.
- `claims_per_s`: that worker's peak over HTTP, closed loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import redis.asyncio as aioredis

from bench.latency import percentile
from schemas.config import LeadpoolConfig
from services.claims.inventory import Inventory
from services.claims.keys import Keys
from services.claims.policy import claim_policy, encode
from services.claims.scripts import Scripts
from services.common.clock import VirtualClock, to_ms
from tests.claims.support import pooled
from tests.infra import unique_name
from tests.workers import Deployment, example_config, write_config

REPS = 200
ROUNDS = 10  # releases; each rep claims once per release
RATE_PER_S = 500
RATE_SECONDS = 4
PEAK_SECONDS = 4
PEAK_CONCURRENCY = 32
WARM_UP = 256
# Enough for the warm-up, the open loop and the peak run.
HTTP_LEADS = RATE_PER_S * RATE_SECONDS + 20_000 + WARM_UP
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# Quotas out of reach, so every claim runs every rule and succeeds.
OPEN_QUOTAS: dict[str, Any] = {
    "daily_claims": {"high": 10**6, "standard": 10**6, "low": 10**6},
    "max_open_leads": 10**6,
    "velocity": {"max_claims_per_hour": 10**6, "consecutive_claims": 10**6},
}


def run(ctx: Any) -> dict[str, float]:
    lua = asyncio.run(_lua_ratio(ctx.redis_url))
    http = _http_figures(ctx.kafka_bootstrap, ctx.redis_url)
    return lua | http


def _users(n: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"rep{i:04d}",
            "name": f"Rep {i}",
            "role": "rep",
            "tier": 1,
            "performance": "high",
            "pools": ["hot", "warm", "cold"],
            "token_sha256": [hashlib.sha256(f"bench-{i}".encode()).hexdigest()],
        }
        for i in range(n)
    ]


async def _lua_ratio(redis_url: str) -> dict[str, float]:
    pool = aioredis.BlockingConnectionPool.from_url(
        redis_url, max_connections=REPS, decode_responses=True, protocol=2
    )
    redis = aioredis.Redis(connection_pool=pool)
    keys = Keys(f"lp:{unique_name('bench')}:claims")
    scripts = Scripts.register(redis)
    config = LeadpoolConfig.model_validate(
        {"version": "bench", "users": _users(REPS), "windows": {"timezone": "UTC"}}
    )
    inventory = Inventory(redis, keys, scripts, VirtualClock(MONDAY_10))
    trivial = redis.register_script("return 1")
    try:
        for n in range(REPS * ROUNDS):
            await inventory.stock(pooled(f"b{n}", pool="cold", score=40))
        await _race(lambda _rep, _round: trivial(keys=[], args=[]))  # connect all
        bare = await _race(lambda _rep, _round: trivial(keys=[], args=[]))
        claim = await _race(_claim_call(config, keys, scripts))
        for n in range(REPS * ROUNDS):
            await inventory.stock(pooled(f"s{n}", pool="cold", score=40))
        # One call in flight: the server's work, without client queueing.
        serial_bare = await _serial(lambda _rep, _round: trivial(keys=[], args=[]))
        serial_claim = await _serial(_claim_call(config, keys, scripts, ROUNDS))
    finally:
        stale = [k async for k in redis.scan_iter(f"{keys.prefix}:*", count=1000)]
        if stale:
            await redis.delete(*stale)
        await redis.aclose()
        await pool.disconnect()
    return {
        "claim_vs_bare_lua": percentile(claim, 99) / percentile(bare, 99),
        "claim_lua_p99_ms": percentile(claim, 99) * 1000,
        "bare_lua_p99_ms": percentile(bare, 99) * 1000,
        "claim_vs_bare_lua_serial": percentile(serial_claim, 99)
        / percentile(serial_bare, 99),
    }


def _claim_call(
    config: LeadpoolConfig, keys: Keys, scripts: Scripts, first_day: int = 0
) -> Any:
    reps = config.users
    # Policies depend on configuration and time only: built before timing.
    days = [MONDAY_10 + timedelta(days=first_day + r) for r in range(ROUNDS)]
    policies = {
        (i, r): encode(claim_policy(config, reps[i], days[r], keys.prefix))
        for i in range(REPS)
        for r in range(ROUNDS)
    }

    def call(i: int, r: int) -> Any:
        rep = reps[i]
        return scripts.claim(
            keys=[
                keys.lead(""),
                keys.rep_open(rep.id),
                keys.rep_claims(rep.id),
                keys.rep_state(rep.id),
                keys.outbox,
            ],
            args=["", "cold", rep.id, to_ms(days[r]), config.version, policies[i, r]],
        )

    return call


async def _serial(call: Any) -> list[float]:
    samples: list[float] = []
    for r in range(ROUNDS):
        for i in range(REPS):
            started = time.perf_counter()
            await call(i, r)
            samples.append(time.perf_counter() - started)
    return samples


async def _race(call: Any) -> list[float]:
    """Each round, every rep calls at once; the time of each call."""
    samples: list[float] = []

    async def one(i: int, r: int) -> None:
        started = time.perf_counter()
        await call(i, r)
        samples.append(time.perf_counter() - started)

    for r in range(ROUNDS):
        await asyncio.gather(*(one(i, r) for i in range(REPS)))
    return samples


def _http_figures(kafka: str, redis_url: str) -> dict[str, float]:
    document = example_config()
    document["users"] = _users(REPS)
    document["teams"] = []
    document["quotas"] = OPEN_QUOTAS
    document["windows"] = {
        "timezone": "UTC",
        "business_hours": {"start": "00:00", "end": "23:59:59.999", "days": DAYS},
    }
    with tempfile.TemporaryDirectory() as tmp:
        config_path = write_config(Path(tmp) / "leadpool.yaml", document)
        deployment = Deployment(unique_name("bclaims"), kafka, redis_url, config_path)
        try:
            worker = deployment.start("claims", LEADPOOL_LOG_LEVEL="WARNING")
            prefix = f"lp:{deployment.namespace}:claims"
            asyncio.run(_stock(redis_url, prefix, HTTP_LEADS))
            return asyncio.run(_load(worker.url))
        finally:
            deployment.stop()
            asyncio.run(_clean(redis_url, deployment.namespace))


async def _stock(redis_url: str, prefix: str, n: int) -> None:
    pool = aioredis.BlockingConnectionPool.from_url(
        redis_url, max_connections=64, decode_responses=True, protocol=2
    )
    redis = aioredis.Redis(connection_pool=pool)
    keys = Keys(prefix)
    inventory = Inventory(redis, keys, Scripts.register(redis), VirtualClock(MONDAY_10))
    for start in range(0, n, 500):
        await asyncio.gather(
            *(
                inventory.stock(pooled(f"h{i}", pool="cold", score=40))
                for i in range(start, min(n, start + 500))
            )
        )
    await redis.aclose()
    await pool.disconnect()


async def _clean(redis_url: str, namespace: str) -> None:
    redis = aioredis.from_url(redis_url, decode_responses=True)
    stale = [k async for k in redis.scan_iter(f"lp:{namespace}:*", count=5000)]
    for start in range(0, len(stale), 5000):
        await redis.delete(*stale[start : start + 5000])
    await redis.aclose()


async def _load(url: str) -> dict[str, float]:
    connector = aiohttp.TCPConnector(limit=256)
    async with aiohttp.ClientSession(url, connector=connector) as session:

        async def claim(i: int) -> float:
            headers = {"Authorization": f"Bearer bench-{i % REPS}"}
            started = time.perf_counter()
            async with session.post("/pools/cold/claim", headers=headers) as answer:
                await answer.read()
                if answer.status != 200:
                    raise RuntimeError(f"claim answered {answer.status}")
            return time.perf_counter() - started

        # Warm up: open the client's connections and the worker's Redis pool.
        await asyncio.gather(*(claim(i) for i in range(WARM_UP)))
        latencies = await _open_loop(claim)
        peak = await _closed_loop(claim)
    return {
        "claim_p50_ms": percentile(latencies, 50) * 1000,
        "claim_p99_ms": percentile(latencies, 99) * 1000,
        "claims_per_s": peak,
    }


async def _open_loop(claim: Any) -> list[float]:
    """Offer RATE_PER_S claims a second, on schedule, whatever the answers."""
    total = RATE_PER_S * RATE_SECONDS
    start = time.perf_counter()
    tasks = []
    for i in range(total):
        delay = start + i / RATE_PER_S - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(claim(i)))
    return list(await asyncio.gather(*tasks))


async def _closed_loop(claim: Any) -> float:
    done = 0
    deadline = time.perf_counter() + PEAK_SECONDS

    async def client(c: int) -> None:
        nonlocal done
        i = c
        while time.perf_counter() < deadline:
            await claim(i)
            done += 1
            i += PEAK_CONCURRENCY

    started = time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(PEAK_CONCURRENCY)))
    return done / (time.perf_counter() - started)
