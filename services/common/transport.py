"""Faust's Kafka transport with the two defaults this system cannot accept.

Faust hard-codes a 1.5 s fetch wait (a single hop's p99 becomes seconds)
and only turns on the idempotent producer inside transactions, which this
system does not use. Faust exposes neither as a setting, so the transport
is subclassed here; everything else is Faust's own.
"""

from typing import Any, ClassVar

from faust.transport.drivers import aiokafka as faust_kafka

FETCH_WAIT_MS = 10  # replaced per app by `TunedTransport.fetch_wait_ms`


class _TunedConsumerThread(faust_kafka.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        # aiokafka reads this only when the consumer starts, so a value set
        # between construction and start takes effect.
        consumer._fetch_max_wait_ms = transport.fetch_wait_ms
        return consumer


class _TunedConsumer(faust_kafka.Consumer):
    def _new_consumer_thread(self) -> _TunedConsumerThread:
        return _TunedConsumerThread(self, loop=self.loop, beacon=self.beacon)


class _IdempotentProducer(faust_kafka.Producer):
    def _settings_extra(self) -> dict[str, Any]:
        return {"acks": "all", "enable_idempotence": True}


class TunedTransport(faust_kafka.Transport):
    Consumer: ClassVar[type] = _TunedConsumer
    Producer: ClassVar[type] = _IdempotentProducer
    fetch_wait_ms: int = FETCH_WAIT_MS
