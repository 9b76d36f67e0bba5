"""A minimal Faust app that relays every message from one topic to another.

tests/test_infra.py runs it as a worker in a subprocess, so the test process's
event loop never hosts Faust. Configured through the environment:
RELAY_APP_ID, RELAY_BOOTSTRAP, RELAY_SOURCE, RELAY_SINK, RELAY_DATADIR.
"""

from __future__ import annotations

import os
import sys

import faust

app = faust.App(
    os.environ["RELAY_APP_ID"],
    broker="kafka://" + os.environ["RELAY_BOOTSTRAP"],
    store="memory://",
    web_enabled=False,
    producer_acks=-1,
    broker_session_timeout=10,
    datadir=os.environ["RELAY_DATADIR"],
)

source = app.topic(
    os.environ["RELAY_SOURCE"], key_serializer="raw", value_serializer="raw"
)
sink = app.topic(os.environ["RELAY_SINK"], key_serializer="raw", value_serializer="raw")


@app.agent(source)
async def relay(stream: faust.StreamT) -> None:
    async for event in stream.events():
        await sink.send(key=event.key, value=event.value)


if __name__ == "__main__":
    sys.argv = [sys.argv[0], "worker", "--loglevel=info"]
    app.main()
