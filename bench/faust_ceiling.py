"""The fastest relay a Leadpool Faust worker can be: the framework's ceiling.

Built exactly as the services are (`create_faust_app`, the tuned transport,
batches taken as the router takes them, the producer called directly) but
doing no work on a message: it forwards the bytes. The router benchmark runs
it as a worker process beside the bare aiokafka relay, so the gap between the
two shows what Faust itself costs on this machine, and the gap between this
and the router shows what routing costs.

Run as `python -m bench.faust_ceiling` with the services' `LEADPOOL_*`
settings plus `CEILING_SOURCE` and `CEILING_SINK` (full topic names).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from schemas.config import load_config
from services.common.faust_app import create_faust_app
from services.common.settings import ServiceSettings
from services.common.worker import run_worker

BATCH_MAX = 500  # as the router's agent
BATCH_WITHIN_S = 0.005


def create_app(settings: ServiceSettings, source: str, sink: str) -> Any:
    app = create_faust_app("ceiling", settings, partitions=4)
    intake = app.topic(source, value_type=bytes, value_serializer="raw")

    @app.agent(intake)
    async def relay(stream: Any) -> None:
        async for events in stream.take_events(BATCH_MAX, within=BATCH_WITHIN_S):
            producer = await app.maybe_start_producer()
            pending = [
                await producer.send(sink, e.key, e.value, None, None, None)
                for e in events
            ]
            await asyncio.gather(*pending)

    return app


def main() -> None:
    settings = ServiceSettings()
    app = create_app(settings, os.environ["CEILING_SOURCE"], os.environ["CEILING_SINK"])
    run_worker(app, settings, load_config(settings.config_path), "ceiling")


if __name__ == "__main__":
    main()
