"""Structured logging for operators: one JSON object a line on stderr."""

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

# Libraries whose INFO chatter drowns the events an operator needs.
# Mode names the loggers of Faust's services after the module of their class,
# which puts Faust's own start/stop chatter under the transport and app
# modules here.
_NOISY = (
    "aiokafka",
    "faust",
    "mode",
    "kafka",
    "aiohttp.access",
    "venusian",
    "services.common.transport",
    "services.common.faust_app",
)


def configure_logging(level: str = "INFO", json_lines: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json_lines:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "ts", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
        )

    root = logging.getLogger()
    root.handlers[:] = [handler]
    # Faust leaves the root logger at DEBUG otherwise, and formatting records
    # nobody reads costs a tenth of a worker's CPU.
    root.setLevel(level)
    for name in _NOISY:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
