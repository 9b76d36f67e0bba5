"""Building a service's Faust app: one factory, no module-level app."""

import logging
from typing import Any

import faust
from faust.sensors.monitor import Monitor

from services.common.settings import ServiceSettings
from services.common.transport import TunedTransport

log = logging.getLogger(__name__)


class LeadpoolApp(faust.App):
    fetch_wait_ms: int = 10

    def _new_transport(self) -> Any:
        transport = TunedTransport(self.conf.broker_consumer, self)
        transport.fetch_wait_ms = self.fetch_wait_ms
        return transport

    def _new_producer_transport(self) -> Any:
        return self._new_transport()


class QuietMonitor(Monitor):
    """Faust's monitor without its per-message bookkeeping: the services
    export their own Prometheus figures, and these counters took several
    percent of a busy router's main thread (py-spy)."""

    def on_message_in(self, tp: Any, offset: int, message: Any) -> None:
        return None

    def on_stream_event_in(
        self, tp: Any, offset: int, stream: Any, event: Any
    ) -> dict[str, Any] | None:
        return None

    def on_stream_event_out(
        self, tp: Any, offset: int, stream: Any, event: Any, state: Any = None
    ) -> None:
        return None

    def on_message_out(self, tp: Any, offset: int, message: Any) -> None:
        return None


def consumer_health(app: Any) -> dict[str, Any]:
    """What `/health` tells about the worker's share of the consumer group."""
    try:
        assigned = app.consumer.assignment()
    except Exception:
        assigned = set()
    return {"worker": app.conf.id, "partitions": len(assigned)}


def create_faust_app(
    service: str, settings: ServiceSettings, partitions: int, **overrides: Any
) -> LeadpoolApp:
    """A Faust app for one service: N workers of it form one consumer group."""
    brokers = ";".join(
        f"kafka://{server.strip()}"
        for server in settings.kafka_bootstrap_servers.split(",")
    )
    options: dict[str, Any] = {
        "broker": brokers,
        "store": "memory://",
        "web_enabled": False,
        "producer_acks": -1,
        "producer_linger_ms": settings.producer_linger_ms,
        "producer_max_batch_size": settings.producer_max_batch_bytes,
        "broker_session_timeout": settings.kafka_session_timeout_s,
        "broker_heartbeat_interval": settings.kafka_session_timeout_s / 5,
        "topic_partitions": partitions,
        "topic_allow_declare": True,
        "consumer_auto_offset_reset": "earliest",
        "datadir": str(settings.data_dir / service),
        "autodiscover": False,
        "monitor": QuietMonitor(),
    }
    options.update(overrides)

    app = LeadpoolApp(f"{settings.namespace}leadpool-{service}", **options)
    app.fetch_wait_ms = settings.kafka_fetch_wait_ms
    return app
