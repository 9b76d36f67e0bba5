"""`python -m services.hygiene`: run one hygiene worker."""

from schemas.config import load_config
from services.common.live_config import LiveConfig
from services.common.settings import ServiceSettings
from services.common.worker import run_worker
from services.hygiene.app import create_app
from services.hygiene.event_clock import build_clock


def main() -> None:
    settings = ServiceSettings()
    config = load_config(settings.config_path)
    app = create_app(settings, LiveConfig(config), build_clock(settings.clock))
    run_worker(app, settings, config, "hygiene")


if __name__ == "__main__":
    main()
