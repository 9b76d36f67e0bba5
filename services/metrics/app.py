"""The metrics service's wiring: lead events in, `/metrics` out.

The Faust worker hosts the HTTP server and the config follower; the event
fold itself is a plain batched consumer (see `event_log`).
"""

import logging
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry

from schemas.config import LeadpoolConfig
from services.common.clock import Clock, WallClock
from services.common.faust_app import create_faust_app
from services.common.http import HttpService, new_web_app
from services.common.live_config import LiveConfig, follow_config
from services.common.settings import ServiceSettings
from services.metrics.event_log import EventLog, FigureBook
from services.metrics.exposition import FiguresCollector
from services.metrics.policy import fold_policy
from services.metrics.text_format import render

log = logging.getLogger(__name__)

DEFAULT_PORT = 8084


def create_app(
    settings: ServiceSettings, live: LiveConfig, clock: Clock | None = None
) -> Any:
    config = live.current
    app = create_faust_app(
        "metrics", settings, partitions=config.topics.partitions, web_enabled=True
    )
    policy = fold_policy(config)

    def follow_policy(old: LeadpoolConfig, new: LeadpoolConfig) -> None:
        nonlocal policy
        # TODO: new histogram edges apply only to partitions replayed later;
        # series already built keep the edges they started with.
        policy = fold_policy(new)

    live.subscribe(follow_policy)
    book = FigureBook(lambda: policy)
    event_log = EventLog(
        settings.kafka_bootstrap_servers,
        settings.topic(config.topics.events),
        f"{settings.namespace}leadpool-metrics-fold",
        book,
        fetch_wait_ms=settings.kafka_fetch_wait_ms,
        session_timeout_s=settings.kafka_session_timeout_s,
    )
    registry = CollectorRegistry()
    registry.register(
        FiguresCollector(
            lambda: book.partitions, lambda: live.current, clock or WallClock()
        )
    )

    @app.task
    async def fold_events() -> None:
        await event_log.run()

    @app.task
    async def watch_config() -> None:
        await follow_config(settings, live)

    async def metrics(request: web.Request) -> web.Response:
        body = render(registry.collect())
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    def health() -> dict[str, Any]:
        return {"worker": app.conf.id, "partitions": event_log.assigned()}

    web_app = new_web_app(health=health)
    web_app.router.add_get("/metrics", metrics)
    port = settings.web_port or DEFAULT_PORT
    app.web_server(HttpService(web_app, settings.web_host, port))
    return app
