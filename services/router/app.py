"""The router's Faust wiring: intake in; pool topics, merges, holds out.

Agents stay thin: they batch events, hand them to `Router.handle` (pure
decisions plus the dedupe window) and send what it returns, waiting for
the broker before Faust acknowledges the batch (at-least-once; the window
makes a redelivered message repeat its first outcome).
"""

import asyncio
import logging
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from pydantic import ValidationError

from schemas.commands import HygieneCommand
from schemas.config import LeadpoolConfig
from schemas.events import HeldLead
from services.common.clock import Clock
from services.common.faust_app import consumer_health, create_faust_app
from services.common.http import HttpService
from services.common.live_config import LiveConfig, follow_config
from services.common.redis_client import connect_redis
from services.common.settings import ServiceSettings
from services.router.api import RouterApi
from services.router.controls import IntakeControls
from services.router.decide import IntakeRecord
from services.router.pause import PauseGate
from services.router.pipeline import BatchResult, Router
from services.router.pool_controls import PoolControls
from services.router.prepare import Prepared
from services.router.source_pauses import SourcePauses
from services.router.window import DedupeWindow

log = logging.getLogger(__name__)

DEFAULT_PORT = 8081
BATCH_MAX = 500  # events per agent batch: one Redis round trip for all
BATCH_WITHIN_S = 0.005  # a lone lead waits at most this long for company
PAUSE_REFRESH_S = 1.0  # how stale one worker's view of hygiene's controls gets


def create_app(settings: ServiceSettings, live: LiveConfig, clock: Clock) -> Any:
    config = live.current
    app = create_faust_app(
        "router",
        settings,
        partitions=config.topics.partitions,
        web_enabled=True,
        # Routing is idempotent (the dedupe window repeats a message's first
        # outcome), so a rebalance need not wait for in-flight batches; it
        # could stall there for good after a worker died (seen in tests).
        stream_wait_empty=False,
    )
    redis = connect_redis(settings)
    window = DedupeWindow(redis, settings.redis_key("router"))
    router = Router(window, clock)
    pauses = SourcePauses(redis, settings.redis_key("router", "paused"), clock)
    pools = PoolControls(redis, settings.redis_key("router", "pools"), clock)
    gate = PauseGate(live, pauses)

    def controls() -> IntakeControls:
        return IntakeControls(
            paused_sources=pauses.active(),
            audited_pools=pools.audited(),
            score_shift=pools.score_shift(live.current.routing.pool_intake),
        )

    registry = CollectorRegistry()
    outcomes = Counter(
        "leadpool_router_outcomes",
        "Intake messages by outcome",
        ["outcome"],
        registry=registry,
    )

    topics = config.topics
    intake = app.topic(
        settings.topic(topics.intake), value_type=bytes, value_serializer="raw"
    )
    held = app.topic(
        settings.topic(topics.held), value_type=bytes, value_serializer="raw"
    )
    rejected = app.topic(
        settings.topic(topics.rejected), value_type=bytes, value_serializer="raw"
    )

    async def send(result: BatchResult) -> None:
        # Straight to the producer: a Faust topic send per message costs more
        # than routing the lead. `ensure_topics` made every pool topic, at start
        # and when a config version was published.
        producer = await app.maybe_start_producer()
        pending = [
            await producer.send(
                settings.topic(e.topic), e.key, e.value, None, None, None
            )
            for e in result.emissions
        ]
        await asyncio.gather(*pending)
        for outcome, count in result.outcomes.items():
            outcomes.labels(outcome).inc(count)

    async def settle_and_send(
        decided: list[Prepared], config: LeadpoolConfig, events: list[Any]
    ) -> None:
        try:
            await send(await router.settle(decided, config))
        except Exception as error:
            # Its offsets stay uncommitted: a restarted worker routes it again.
            log.exception("batch not routed; worker stops")
            await app.crash(error)
            return
        for event in events:
            event.ack()  # the hold taken in `route`: now the offset may commit

    @app.agent(intake)
    async def route(stream: Any) -> None:
        # Two batches overlap: one is decided while the one before it waits on
        # Redis and the broker (+30-40 % leads/s measured). Its events stay
        # unacked until its leads are on their topics, so a crash loses none.
        settling: asyncio.Future[None] | None = None
        async for events in stream.take_events(BATCH_MAX, within=BATCH_WITHIN_S):
            for event in events:
                event.message.incref()
            now = clock.now()
            records = [
                IntakeRecord(
                    raw=event.value,
                    received_at=now,
                    topic=event.message.topic,
                    partition=event.message.partition,
                    offset=event.message.offset,
                )
                for event in events
            ]
            config = live.current
            decided = router.decide(records, config, controls())
            if settling is not None:
                await settling
            settling = asyncio.ensure_future(settle_and_send(decided, config, events))

    commands = app.topic(
        settings.topic(topics.hygiene_actions), value_type=bytes, value_serializer="raw"
    )

    @app.agent(commands)
    async def follow_hygiene(stream: Any) -> None:
        # Intake commands are the router's; claims applies everything else.
        async for raw in stream:
            try:
                command = HygieneCommand.model_validate_json(raw)
            except ValidationError:
                continue  # claims logs an invalid command, with its errors
            rules = live.current.routing.pool_intake
            if not await pauses.apply(command):
                await pools.apply(command, rules)

    @app.timer(interval=PAUSE_REFRESH_S)
    async def refresh_controls() -> None:
        # Another worker may have read the command; an end may have passed.
        await pauses.refresh()
        await pools.refresh()

    @app.agent(held)
    async def release(stream: Any) -> None:
        # TODO: a held lead of a still-paused source blocks the held leads
        # behind it on this worker, even of resumed sources; one held topic
        # per source (or a cursor per source) would lift that.
        async for raw in stream:
            lead = HeldLead.model_validate_json(raw)
            if gate.is_paused(lead.source):
                log.info("held leads waiting for resume", extra={"source": lead.source})
                await gate.wait_resumed(lead.source)
            record = IntakeRecord(
                raw=lead.original.encode(),
                received_at=clock.now(),
                topic=lead.intake_topic,
                partition=lead.intake_partition,
                offset=lead.intake_offset,
                released=True,
            )
            await send(await router.handle([record], live.current))

    @app.task
    async def watch_config() -> None:
        await follow_config(settings, live)

    async def metrics(_request: web.Request) -> web.Response:
        return web.Response(
            body=generate_latest(registry),
            headers={"Content-Type": CONTENT_TYPE_LATEST},
        )

    async def produce(payloads: list[bytes]) -> None:
        pending = [await intake.send(value=payload) for payload in payloads]
        await asyncio.gather(*pending)

    async def publish_rejected(payloads: list[bytes]) -> None:
        pending = [await rejected.send(value=payload) for payload in payloads]
        await asyncio.gather(*pending)
        outcomes.labels("rejected").inc(len(payloads))

    api = RouterApi(live, window, produce, clock, publish_rejected)

    def health() -> dict[str, Any]:
        return {
            **consumer_health(app),
            "config_version": live.current.version,
            "paused_by_hygiene": sorted(pauses.active()),
            "audited_pools": sorted(pools.audited()),
            "score_shift": dict(pools.score_shift(live.current.routing.pool_intake)),
        }

    web_app = api.web_app(health, metrics)
    port = settings.web_port or DEFAULT_PORT
    app.web_server(HttpService(web_app, settings.web_host, port))
    return app
