"""The hygiene service's Faust wiring: lead events in, commands out."""

import logging
from typing import Any

from pydantic import ValidationError

from schemas.events import (
    LeadClaimed,
    LeadRemoved,
    LeadReturned,
    LeadStocked,
    LeadTransferred,
    lead_event_adapter,
)
from services.common.clock import Clock
from services.common.faust_app import consumer_health, create_faust_app
from services.common.http import HttpService, new_web_app
from services.common.live_config import LiveConfig, follow_config
from services.common.settings import ServiceSettings
from services.hygiene.aging import AgingBook
from services.hygiene.decisions import aging_commands

log = logging.getLogger(__name__)

DEFAULT_PORT = 8083


def create_app(settings: ServiceSettings, live: LiveConfig, clock: Clock) -> Any:
    config = live.current
    app = create_faust_app(
        "hygiene", settings, partitions=config.topics.partitions, web_enabled=True
    )
    book = AgingBook(config.hygiene.aging)
    events = app.topic(
        settings.topic(config.topics.events), value_type=bytes, value_serializer="raw"
    )
    actions = app.topic(
        settings.topic(config.topics.hygiene_actions), value_serializer="raw"
    )

    @app.agent(events)
    async def follow_leads(stream: Any) -> None:
        async for raw in stream:
            try:
                event = lead_event_adapter.validate_json(raw)
            except ValidationError as err:
                log.error(
                    "lead event skipped: not a known event",
                    extra={"errors": err.errors(include_input=False)},
                )
                continue
            match event:
                case LeadStocked(lead_id=lead_id, pool=pool, score=score):
                    book.track(lead_id, pool, score, event.routed_at)
                case LeadReturned(lead_id=lead_id, pool=pool):
                    book.track(lead_id, pool, 0, event.occurred_at)
                case LeadClaimed() | LeadRemoved() | LeadTransferred():
                    book.forget(event.lead_id)

    @app.timer(config.hygiene.aging.sweep_interval_s)
    async def sweep() -> None:
        now = clock.now()
        for reached in book.due(now):
            for command in aging_commands(reached, live.current, now):
                await actions.send(
                    key=(command.lead_id or command.pool or "").encode(),
                    value=command.model_dump_json().encode(),
                )
                log.info(
                    "hygiene action",
                    extra={
                        "action": command.action.value,
                        "lead_id": command.lead_id,
                        "policy": command.policy,
                    },
                )

    @app.task
    async def watch_config() -> None:
        await follow_config(settings, live)

    web_app = new_web_app(health=lambda: consumer_health(app))
    port = settings.web_port or DEFAULT_PORT
    app.web_server(HttpService(web_app, settings.web_host, port))
    return app
