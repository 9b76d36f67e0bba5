"""The metrics service's Faust wiring: lead events in, `/metrics` out."""

import logging
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from pydantic import ValidationError

from schemas.events import lead_event_adapter
from services.common.faust_app import consumer_health, create_faust_app
from services.common.http import HttpService, new_web_app
from services.common.live_config import LiveConfig, follow_config
from services.common.settings import ServiceSettings
from services.metrics.figures import PoolFigures

log = logging.getLogger(__name__)

DEFAULT_PORT = 8084


def create_app(settings: ServiceSettings, live: LiveConfig) -> Any:
    config = live.current
    app = create_faust_app(
        "metrics", settings, partitions=config.topics.partitions, web_enabled=True
    )
    registry = CollectorRegistry()
    figures = PoolFigures(registry)
    events = app.topic(
        settings.topic(config.topics.events), value_type=bytes, value_serializer="raw"
    )

    @app.agent(events)
    async def fold(stream: Any) -> None:
        async for raw in stream:
            try:
                event = lead_event_adapter.validate_json(raw)
            except ValidationError as err:
                log.error(
                    "lead event skipped: not a known event",
                    extra={"errors": err.errors(include_input=False)},
                )
                continue
            figures.fold(event)

    @app.task
    async def watch_config() -> None:
        await follow_config(settings, live)

    async def metrics(request: web.Request) -> web.Response:
        body = generate_latest(registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    web_app = new_web_app(health=lambda: consumer_health(app))
    web_app.router.add_get("/metrics", metrics)
    port = settings.web_port or DEFAULT_PORT
    app.web_server(HttpService(web_app, settings.web_host, port))
    return app
