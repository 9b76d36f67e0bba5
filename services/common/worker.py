"""Running a Faust app as a worker process, with Leadpool's logging."""

import asyncio
import logging
from typing import Any

import faust

from schemas.config import LeadpoolConfig
from services.common.logging import configure_logging
from services.common.settings import ServiceSettings
from services.common.topics import ensure_topics

log = logging.getLogger(__name__)


class _Worker(faust.Worker):
    leadpool_settings: ServiceSettings

    def on_setup_root_logger(self, logger: logging.Logger, level: int) -> None:
        # Faust installs its own handlers first; replace them with ours.
        settings = self.leadpool_settings
        configure_logging(settings.log_level, settings.log_json)


def run_worker(
    app: Any, settings: ServiceSettings, config: LeadpoolConfig, service: str
) -> None:
    """Create missing topics, then run the worker until it is stopped."""
    configure_logging(settings.log_level, settings.log_json)
    log.info(
        "starting",
        extra={
            "service": service,
            "config_version": config.version,
            "settings": settings.describe(),
        },
    )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(ensure_topics(settings, config))

    # asyncio.run closed its loop; Faust expects a current one.
    asyncio.set_event_loop(asyncio.new_event_loop())
    worker = _Worker(app, loglevel=settings.log_level, quiet=True)
    worker.leadpool_settings = settings
    # The progress spinner writes terminal escapes into the JSON log lines.
    worker.spinner = None
    worker.execute_from_commandline()
