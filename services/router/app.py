"""The router's Faust wiring: intake topic in, pool topics or rejections out."""

import logging
from typing import Any

from schemas.events import PooledLead
from services.common.clock import Clock
from services.common.faust_app import consumer_health, create_faust_app
from services.common.http import HttpService, new_web_app
from services.common.live_config import LiveConfig, follow_config
from services.common.settings import ServiceSettings
from services.router.decide import IntakeRecord, decide

log = logging.getLogger(__name__)

DEFAULT_PORT = 8081


def create_app(settings: ServiceSettings, live: LiveConfig, clock: Clock) -> Any:
    config = live.current
    app = create_faust_app(
        "router", settings, partitions=config.topics.partitions, web_enabled=True
    )
    topics = config.topics
    intake = app.topic(
        settings.topic(topics.intake), value_type=bytes, value_serializer="raw"
    )
    rejected = app.topic(settings.topic(topics.rejected), value_serializer="raw")
    pools: dict[str, Any] = {}

    def pool_topic(name: str) -> Any:
        # Built on first use, so a pool added by a new config version works.
        if name not in pools:
            pools[name] = app.topic(
                settings.topic(live.current.topics.pool(name)), value_serializer="raw"
            )
        return pools[name]

    @app.agent(intake)
    async def route(stream: Any) -> None:
        async for event in stream.events():
            message = event.message
            record = IntakeRecord(
                raw=event.value,
                received_at=clock.now(),
                topic=message.topic,
                partition=message.partition,
                offset=message.offset,
            )
            outcome = decide(record, live.current)
            if isinstance(outcome, PooledLead):
                await pool_topic(outcome.pool).send(
                    key=outcome.lead.lead_id.encode(),
                    value=outcome.model_dump_json().encode(),
                )
                log.debug("lead routed", extra={"lead_id": outcome.lead.lead_id})
            else:
                await rejected.send(value=outcome.model_dump_json().encode())
                log.info(
                    "lead rejected",
                    extra={
                        "offset": message.offset,
                        "partition": message.partition,
                        "reasons": [r.model_dump() for r in outcome.reasons],
                    },
                )

    @app.task
    async def watch_config() -> None:
        await follow_config(settings, live)

    web_app = new_web_app(health=lambda: consumer_health(app))
    port = settings.web_port or DEFAULT_PORT
    app.web_server(HttpService(web_app, settings.web_host, port))
    return app
